/**
 * Bytes a WebSocket payload takes on the wire (before framing), or
 * undefined for a type we do not know. Strings are counted as UTF-8
 * without encoding them, so measuring costs no allocation.
 */
export function payloadSize(data: unknown): number | undefined {
  if (typeof data === 'string') return utf8Length(data);
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  if (typeof Blob !== 'undefined' && data instanceof Blob) return data.size;
  if (Array.isArray(data)) {
    // `ws` accepts an array of Buffers (fragments of one message).
    let total = 0;
    for (const part of data) {
      const size = payloadSize(part);
      if (size === undefined) return undefined;
      total += size;
    }
    return total;
  }
  return undefined;
}

function utf8Length(value: string): number {
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length) {
      // A surrogate pair is one 4-byte code point.
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
