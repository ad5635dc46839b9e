/**
 * Packs already-serialized OTLP items (log records, metric data points)
 * into request bodies of at most a given number of UTF-8 bytes, so each
 * body fits the browsers' 64 KiB keepalive limit. Items keep their order;
 * consecutive items that share their enclosing groups (resource, scope,
 * metric) share one copy of the group's JSON in a body. Each item was
 * encoded once with JSON.stringify; packing only concatenates strings.
 */

/** One level of JSON nesting around items: the text before and after a list of them. */
export interface JsonGroup {
  /** JSON up to and including the `[` that opens the item list. */
  readonly open: string;
  /** JSON from the `]` that closes the item list to the end of the group. */
  readonly close: string;
}

/** One serialized item and its enclosing groups, outermost first (groups are compared by identity). */
export interface JsonItem {
  /** Enclosing groups, outermost first; every item of one request has the same depth. */
  readonly groups: readonly JsonGroup[];
  /** The item's JSON. */
  readonly json: string;
}

/** One request body. */
export interface PackedBody {
  /** The body text. */
  readonly body: string;
  /** Its size in UTF-8 bytes. */
  readonly bytes: number;
  /** How many items it carries. */
  readonly items: number;
}

/**
 * A group made from a container whose last key is an empty list, e.g.
 * `{ scope, logRecords: [] }`: the list becomes the place items go.
 */
export function jsonGroup(container: object): JsonGroup {
  const json = JSON.stringify(container);
  const at = json.lastIndexOf('[]') + 1;
  return { open: json.slice(0, at), close: json.slice(at) };
}

/** Size of a string in UTF-8 bytes (what the request body will weigh). */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x800) {
      // Three bytes per BMP character (two code units for four bytes when surrogate pairs).
      bytes += code >= 0xd800 && code < 0xdc00 ? (i++, 2) : 2;
    } else if (code >= 0x80) bytes += 1;
  }
  return bytes;
}

const closing = (groups: readonly JsonGroup[], from: number): string => {
  let out = '';
  for (let i = groups.length - 1; i >= from; i--) out += groups[i]!.close;
  return out;
};

/**
 * Packs items into bodies of at most `maxBytes` UTF-8 bytes each. An item
 * too large to fit even alone gets a body of its own that exceeds the
 * limit (the caller sends it without keepalive).
 */
export function packJson(items: readonly JsonItem[], maxBytes: number): PackedBody[] {
  const bodies: PackedBody[] = [];
  let text = '';
  let bytes = 0;
  let count = 0;
  let open: readonly JsonGroup[] = [];
  const finish = () => {
    if (count > 0) {
      const tail = closing(open, 0);
      bodies.push({ body: text + tail, bytes: bytes + utf8Length(tail), items: count });
    }
    text = '';
    bytes = 0;
    count = 0;
    open = [];
  };
  const addition = (item: JsonItem): string => {
    const { groups } = item;
    let same = 0;
    while (same < open.length && same < groups.length && open[same] === groups[same]) same++;
    // A comma separates this item (or its first new group) from a previous sibling.
    let out = closing(open, same) + (count > 0 && (open.length > same || same === groups.length) ? ',' : '');
    for (let i = same; i < groups.length; i++) out += groups[i]!.open;
    return out + item.json;
  };
  for (const item of items) {
    let add = addition(item);
    let addBytes = utf8Length(add);
    const tailBytes = utf8Length(closing(item.groups, 0));
    if (count > 0 && bytes + addBytes + tailBytes > maxBytes) {
      finish();
      add = addition(item);
      addBytes = utf8Length(add);
    }
    text += add;
    bytes += addBytes;
    count++;
    open = item.groups;
  }
  finish();
  return bodies;
}
