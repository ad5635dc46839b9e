import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { TableName } from '../store/table-names.js';
import { encodeRows, type BlockFormat, type EncodedBlock } from './encoded-block.js';

/** An export request whose rows are in a block, and the answer it gets once they are stored. */
export interface BlockRequest {
  /** The request's identity (requestIdentity). */
  id: string;
  /** Tables the request has rows in, so as many blocks carry it. */
  tables: number;
  rejected: number;
  errorMessage: string;
}

/** One insert the store refused: written again, with the same token, once the store is back. */
export interface SpooledBlock extends EncodedBlock {
  /**
   * The tenant database it goes into. Absent from the blocks of versions
   * before tenants, which go into the writer's default database.
   */
  database?: string | undefined;
  table: TableName;
  /** The insert_deduplication_token the block was first tried with. */
  token: string;
  /** The identified requests whose rows the block holds. */
  requests?: BlockRequest[];
}

export interface OutageSpoolOptions {
  dir: string;
  /** Bytes the spool may hold; past it, blocks are refused and clients get 503. */
  maxBytes: number;
}

const FILE = /^(\d{16})\.block$/;
const IN_FLIGHT = /^(\d{16})\.inflight$/;
const PENDING = /^(\d{16})\.pending$/;

/**
 * The on-disk spool of the store outage path (docs/operations.md#store-outages).
 * A block the store refused is written here before its requests are
 * acknowledged: one file per block, `<crc32 hex> <header json>\n<rows in
 * the header's format>`, the checksum over everything after the space, written to a
 * temporary name, fsynced, renamed into place and the directory fsynced, so
 * an acknowledged block survives a crash or a power cut. Blocks are
 * replayed oldest first; a file whose checksum does not match (a torn write
 * of a block that was never acknowledged) is set aside as `.corrupt`.
 *
 * Every block is also written here, as `.inflight` and without fsync, while
 * its insert runs. When the process dies mid-insert, ClickHouse may have
 * stored the block without the collector knowing: the next start replays
 * the in-flight blocks with their tokens (ClickHouse skips what it has) and
 * reports the requests they completed, so a client's retry of one is
 * recognised instead of stored twice.
 *
 * When requests are acknowledged once spooled (COLLECTOR_ACK=spooled), each
 * request's rows are first written here durably as `.pending`, and the
 * request is answered. The in-flight block that later carries them is
 * written durably too, naming the pending files it covers, which are then
 * deleted: after a crash, a pending file no in-flight block covers is
 * replayed with its own token, and a covered one is left to the in-flight
 * block, so no row is stored twice.
 */
export class OutageSpool {
  private next = 0;
  private bytes = 0;
  private readonly sizes = new Map<string, number>();
  /**
   * Files of acknowledged rows not yet stored nor spooled for replay (pending,
   * or in flight covering pending ones) and their bytes, counted against
   * maxBytes with the blocks.
   */
  private readonly unstoredSizes = new Map<string, number>();
  /** Requests carried by the in-flight blocks found at start, now spooled for replay. */
  readonly recoveredRequests: BlockRequest[] = [];

  constructor(private readonly options: OutageSpoolOptions) {
    mkdirSync(options.dir, { recursive: true });
    // Sorted once: names grow with each block, so the map's insertion order is the replay order.
    const names = readdirSync(options.dir).sort();
    const inFlightFiles = new Map(names.filter((name) => IN_FLIGHT.test(name)).map((name) => [name, readSpoolFile(readFileSync(join(options.dir, name)))]));
    const covered = new Set([...inFlightFiles.values()].flatMap((file) => file?.covers ?? []));
    for (const name of names) {
      const spooled = FILE.exec(name);
      const inFlight = IN_FLIGHT.exec(name);
      const pending = PENDING.exec(name);
      if (spooled) this.track(name);
      else if (inFlight) this.recover(name, inFlightFiles.get(name)?.block);
      else if (pending && covered.has(name)) unlinkSync(join(options.dir, name));
      else if (pending) this.recover(name, parseContent(readFileSync(join(options.dir, name))));
      else if (name.endsWith('.tmp')) unlinkSync(join(options.dir, name)); // never renamed: never acknowledged
      const sequence = (spooled ?? inFlight ?? pending)?.[1];
      if (sequence) this.next = Math.max(this.next, Number(sequence) + 1);
    }
  }

  /** Blocks waiting for the store. */
  get size(): number {
    return this.sizes.size;
  }

  /** Bytes they take on disk, with the pending files'. */
  get heldBytes(): number {
    return this.bytes;
  }

  /**
   * Writes an acknowledged request's rows of one table durably, before its
   * insert; returns the file's name for beginInsert's `covers`, or undefined
   * when the spool is full (nothing written).
   */
  putPending(block: SpooledBlock): string | undefined {
    return this.writeDurably(block, 'pending', this.unstoredSizes);
  }

  /** Writes a block durably; false when the spool is full (nothing written). */
  put(block: SpooledBlock): boolean {
    return this.writeDurably(block, 'block', this.sizes) !== undefined;
  }

  /** A new file of the block (temporary name, fsynced, renamed, directory fsynced), counted in `sizes`; its name, or undefined past maxBytes. */
  private writeDurably(block: SpooledBlock, kind: 'block' | 'pending', sizes: Map<string, number>): string | undefined {
    const prefix = filePrefix(block);
    const length = prefix.length + block.body.length;
    if (this.bytes + length > this.options.maxBytes) return undefined;
    const name = `${String(this.next++).padStart(16, '0')}.${kind}`;
    const temporary = join(this.options.dir, `${name}.tmp`);
    writeFile(temporary, prefix, block.body, true);
    renameSync(temporary, join(this.options.dir, name));
    fsyncPath(this.options.dir);
    sizes.set(name, length);
    this.bytes += length;
    return name;
  }

  /** The oldest block, with its file name for remove(); undefined when empty. Corrupt files are set aside. */
  oldest(): { name: string; block: SpooledBlock } | undefined {
    for (const name of this.sizes.keys()) {
      const path = join(this.options.dir, name);
      const block = parseContent(readFileSync(path));
      if (block) return { name, block };
      renameSync(path, `${path}.corrupt`);
      this.forget(name);
    }
    return undefined;
  }

  /** Keeps a block the store can never take (spooled, or in flight) as `.rejected`, for a person to look at, out of the replay. */
  setAside(name: string): void {
    const path = join(this.options.dir, name);
    renameSync(path, `${path}.rejected`);
    this.forget(name);
  }

  /**
   * Notes a block whose insert is starting, so a crash during the insert
   * can be recovered; returns the name for endInsert or keep. Not fsynced
   * when it covers no pending files: the block's requests are not
   * acknowledged yet. When it does, it is written durably and takes their
   * place: they are deleted, and its bytes are counted instead.
   */
  beginInsert(block: SpooledBlock, covers: readonly string[] = []): string {
    const name = `${String(this.next++).padStart(16, '0')}.inflight`;
    const acknowledged = covers.length > 0;
    const prefix = filePrefix(block, covers);
    writeFile(join(this.options.dir, name), prefix, block.body, acknowledged);
    if (!acknowledged) return name;
    fsyncPath(this.options.dir);
    for (const pending of covers) {
      unlinkSync(join(this.options.dir, pending));
      this.forget(pending);
    }
    const length = prefix.length + block.body.length;
    this.unstoredSizes.set(name, length);
    this.bytes += length;
    return name;
  }

  /** The insert of an in-flight block (or of pending files' rows) ended: stored, or refused and not kept. */
  endInsert(name: string): void {
    unlinkSync(join(this.options.dir, name));
    this.forget(name);
  }

  /**
   * Keeps an in-flight block whose insert failed, durably, as put does;
   * false when the spool is full (end its insert then). A block that
   * covers pending files is kept whatever the limit: its requests were
   * acknowledged, and its bytes were counted already.
   */
  keep(inFlight: string): boolean {
    const path = join(this.options.dir, inFlight);
    const length = statSync(path).size;
    if (!this.unstoredSizes.has(inFlight) && this.bytes + length > this.options.maxBytes) return false;
    this.forget(inFlight);
    fsyncPath(path);
    const name = blockNameOf(inFlight);
    renameSync(path, join(this.options.dir, name));
    fsyncPath(this.options.dir);
    this.sizes.set(name, length);
    this.bytes += length;
    return true;
  }

  /** Deletes a block once the store has it. */
  remove(name: string): void {
    unlinkSync(join(this.options.dir, name));
    fsyncPath(this.options.dir);
    this.forget(name);
  }

  private track(name: string): void {
    const size = statSync(join(this.options.dir, name)).size;
    this.sizes.set(name, size);
    this.bytes += size;
  }

  /**
   * An in-flight or pending file left by a crash: spooled for replay when
   * whole, deleted when torn (a torn one was never fsynced, so never
   * acknowledged).
   */
  private recover(file: string, block: SpooledBlock | undefined): void {
    const path = join(this.options.dir, file);
    if (!block) {
      unlinkSync(path);
      return;
    }
    const name = blockNameOf(file);
    renameSync(path, join(this.options.dir, name));
    this.track(name);
    this.recoveredRequests.push(...(block.requests ?? []));
  }

  private forget(name: string): void {
    this.bytes -= this.sizes.get(name) ?? this.unstoredSizes.get(name) ?? 0;
    this.sizes.delete(name);
    this.unstoredSizes.delete(name);
  }
}

const NEWLINE = 0x0a;

/** The spooled name of an in-flight or pending file: same sequence, so the replay order holds. */
const blockNameOf = (file: string) => file.replace(IN_FLIGHT, '$1.block').replace(PENDING, '$1.block');

/**
 * What precedes the rows in a block's file: the checksum (which tells a
 * whole file from a torn one) and the header line. The rows follow as they
 * were encoded for the insert, so spooling costs no second encoding.
 */
function filePrefix(block: SpooledBlock, covers: readonly string[] = []): Buffer {
  const { database, table, token, rows, format, requests } = block;
  const header = Buffer.from(`${JSON.stringify({ database, table, token, rows, format, requests, covers: covers.length > 0 ? covers : undefined })}\n`);
  const crc = crc32(block.body, crc32(header));
  return Buffer.concat([Buffer.from(`${crc.toString(16).padStart(8, '0')} `), header]);
}

/** Flushes a file, or a directory's entries, to the disk. */
function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeFile(path: string, prefix: Buffer, body: Buffer, durable: boolean): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, prefix);
    writeSync(fd, body);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function parseContent(file: Buffer): SpooledBlock | undefined {
  return readSpoolFile(file)?.block;
}

/** A spool file's block, and the pending files it covers; undefined when its checksum fails. */
function readSpoolFile(file: Buffer): { block: SpooledBlock; covers?: string[] } | undefined {
  const expected = file.subarray(0, 8).toString('latin1');
  const content = file.subarray(9);
  if (expected !== crc32(content).toString(16).padStart(8, '0')) return undefined;
  const end = content.indexOf(NEWLINE);
  // Files of earlier versions hold one JSON document with the rows themselves.
  if (end === -1) {
    const { rows, ...rest } = JSON.parse(content.toString('utf8')) as Omit<SpooledBlock, 'rows' | 'body'> & { rows: Record<string, unknown>[] };
    return { block: { ...rest, ...encodeRows(rows) } };
  }
  // Blocks spooled before RowBinary name no format: they are JSONEachRow.
  const { format = 'JSONEachRow', covers, ...header } = JSON.parse(content.subarray(0, end).toString('utf8')) as Omit<SpooledBlock, 'body' | 'format'> & {
    format?: BlockFormat;
    covers?: string[];
  };
  return { block: { ...header, format, body: content.subarray(end + 1) }, ...(covers ? { covers } : {}) };
}
