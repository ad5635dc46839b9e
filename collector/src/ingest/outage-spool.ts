import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { TableName } from '../store/table-names.js';

type Row = Record<string, unknown>;

/** One insert the store refused: written again, with the same token, once the store is back. */
export interface SpooledBlock {
  table: TableName;
  /** The insert_deduplication_token the block was first tried with. */
  token: string;
  rows: Row[];
}

export interface OutageSpoolOptions {
  dir: string;
  /** Bytes the spool may hold; past it, blocks are refused and clients get 503. */
  maxBytes: number;
}

const FILE = /^(\d{16})\.block$/;

/**
 * The on-disk spool of the store outage path (docs/operations.md#store-outages).
 * A block the store refused is written here before its requests are
 * acknowledged: one file per block, `<crc32 hex> <json>`, written to a
 * temporary name, fsynced, renamed into place and the directory fsynced, so
 * an acknowledged block survives a crash or a power cut. Blocks are
 * replayed oldest first; a file whose checksum does not match (a torn write
 * of a block that was never acknowledged) is set aside as `.corrupt`.
 */
export class OutageSpool {
  private next = 0;
  private bytes = 0;
  private readonly sizes = new Map<string, number>();

  constructor(private readonly options: OutageSpoolOptions) {
    mkdirSync(options.dir, { recursive: true });
    // Sorted once: names grow with each block, so the map's insertion order is the replay order.
    for (const name of readdirSync(options.dir).sort()) {
      const match = FILE.exec(name);
      if (match) {
        const size = statSync(join(options.dir, name)).size;
        this.sizes.set(name, size);
        this.bytes += size;
        this.next = Math.max(this.next, Number(match[1]) + 1);
      } else if (name.endsWith('.tmp')) {
        unlinkSync(join(options.dir, name)); // never renamed: never acknowledged
      }
    }
  }

  /** Blocks waiting for the store. */
  get size(): number {
    return this.sizes.size;
  }

  /** Bytes they take on disk. */
  get heldBytes(): number {
    return this.bytes;
  }

  /** Writes a block durably; false when the spool is full (nothing written). */
  put(block: SpooledBlock): boolean {
    const json = JSON.stringify(block);
    const content = `${crc32(json).toString(16).padStart(8, '0')} ${json}`;
    const length = Buffer.byteLength(content);
    if (this.bytes + length > this.options.maxBytes) return false;
    const name = `${String(this.next++).padStart(16, '0')}.block`;
    const temporary = join(this.options.dir, `${name}.tmp`);
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, join(this.options.dir, name));
    this.syncDirectory();
    this.sizes.set(name, length);
    this.bytes += length;
    return true;
  }

  /** The oldest block, with its file name for remove(); undefined when empty. Corrupt files are set aside. */
  oldest(): { name: string; block: SpooledBlock } | undefined {
    for (const name of this.sizes.keys()) {
      const path = join(this.options.dir, name);
      const text = readFileSync(path, 'utf8');
      const json = text.slice(9);
      if (text.slice(0, 8) === crc32(json).toString(16).padStart(8, '0')) return { name, block: JSON.parse(json) as SpooledBlock };
      renameSync(path, `${path}.corrupt`);
      this.forget(name);
    }
    return undefined;
  }

  /** Keeps a block the store can never take as `.rejected`, for a person to look at, out of the replay. */
  setAside(name: string): void {
    const path = join(this.options.dir, name);
    renameSync(path, `${path}.rejected`);
    this.forget(name);
  }

  /** Deletes a block once the store has it. */
  remove(name: string): void {
    unlinkSync(join(this.options.dir, name));
    this.syncDirectory();
    this.forget(name);
  }

  private forget(name: string): void {
    this.bytes -= this.sizes.get(name) ?? 0;
    this.sizes.delete(name);
  }

  private syncDirectory(): void {
    const fd = openSync(this.options.dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
