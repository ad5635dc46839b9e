import { randomBytes } from 'node:crypto';
import { StoreError } from '../errors.js';
import type { InsertTarget, TableRows } from '../store/table-names.js';
import { blockOf, encodeTableRows, type EncodedBlock, type EncodedRows } from './encoded-block.js';
import { isBadDataFailure } from './insert-failure.js';
import type { BlockRequest, OutageSpool, SpooledBlock } from './outage-spool.js';

/**
 * Inserts an encoded block into one table of one database; throws when
 * ClickHouse does not take it. `token` is the block's
 * insert_deduplication_token: the same block written again with it is
 * skipped.
 */
export type InsertRows = (target: InsertTarget, block: EncodedBlock, token: string) => Promise<void>;

export interface BatchWriterOptions {
  /** A table (of one database) is written at once when this many rows wait for it... */
  maxRows: number;
  /** ...else as soon as the writer is free and its previous insert began at least this long ago. */
  minIntervalMillis: number;
  /** Rows held (waiting plus being written), across all databases, before enqueue answers 'overloaded'. */
  maxBufferedRows: number;
  insert: InsertRows;
  /** Where the spooled blocks of versions before tenants, which name no database, are replayed. */
  defaultDatabase: string;
  /** Called when an insert fails, for the collector's log. */
  onInsertError?: (target: InsertTarget, rows: number, error: unknown) => void;
  /**
   * Where a block the store refused goes, durably, before its requests are
   * acknowledged; replayed every replayIntervalMillis until the store takes
   * it. Without one (or when it is full) the requests get the StoreError.
   */
  spool?: OutageSpool;
  /** Time between replays of the spool while it holds blocks. Default 2000 ms. */
  replayIntervalMillis?: number;
  /**
   * When a request is answered: once its rows are stored (`stored`, the
   * default: an answered event can be read at once), or once they are
   * durably in the spool, before their insert (`spooled`: a sender waits
   * for a disk write rather than the store, and inserts grow with the load).
   * Without room in the spool, or with more than half of maxBufferedRows
   * held, a request is answered once stored.
   */
  acknowledge?: 'stored' | 'spooled';
}

/** What enqueue did with a request's rows. */
export type EnqueueOutcome =
  /** Rows are buffered; `written` settles once they are in ClickHouse or, when acknowledged once spooled, durably on disk (rejects with StoreError if neither). */
  | { status: 'accepted'; written: Promise<void> }
  /** Too many rows are already held; nothing was taken. */
  | { status: 'overloaded' };

export interface BatchWriterStats {
  bufferedRows: number;
  rowsWritten: number;
  insertsSucceeded: number;
  insertsFailed: number;
  lastError: string | null;
  /** Blocks (and their rows) written to the outage spool since start, and replayed from it into the store. */
  rowsSpooled: number;
  rowsReplayed: number;
  /** Blocks waiting in the spool now, and their bytes on disk. */
  spooledBlocks: number;
  spooledBytes: number;
}

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface Pending {
  target: InsertTarget;
  /** The rows waiting, encoded as they were taken (see EncodedRows). */
  parts: EncodedRows[];
  rows: number;
  /** The requests answered once the insert ends. */
  waiters: Waiter[];
  requests: BlockRequest[];
  /** The spool's pending files of the rows whose requests were answered before the insert (acknowledge `spooled`). */
  covers: string[];
}

/**
 * Buffers rows per table of each tenant database and writes them with a
 * single writer, as soon as it is free (group commit): rows that arrive
 * while an insert runs go together in the next one, so blocks grow with the
 * load and a lone sender waits for no timer. minIntervalMillis spaces one
 * table's inserts, so many small requests do not make as many small parts;
 * maxRows cuts it short.
 * A request is acknowledged only after its rows are inserted, or, when the
 * store refuses them (or acknowledge is `spooled`), once they are durably
 * in the spool; nothing the collector acknowledged is lost. Every block
 * carries a deduplication token, kept for its replay, so a block is never
 * stored twice. Memory is bounded by maxBufferedRows across all databases,
 * disk by the spool's maxBytes.
 */
export class BatchWriter {
  /** Keyed by the target's `database.table`. */
  private readonly pending = new Map<string, Pending>();
  /** When each target's latest insert began, keyed as `pending`. */
  private readonly lastInsert = new Map<string, number>();
  private buffered = 0;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private forceAll = false;
  private closed = false;
  private readonly counters = { rowsWritten: 0, insertsSucceeded: 0, insertsFailed: 0, lastError: null as string | null, rowsSpooled: 0, rowsReplayed: 0 };
  /** Unique per writer, so tokens never collide across restarts or replicas. */
  private readonly tokenPrefix = randomBytes(8).toString('hex');
  private blocks = 0;
  private replayTimer: NodeJS.Timeout | undefined;
  private replaying: Promise<void> | undefined;

  constructor(private readonly options: BatchWriterOptions) {
    if (options.spool && options.spool.size > 0) this.scheduleReplay();
  }

  /**
   * Whether `rows` more would be taken now. One request larger than the
   * whole budget is still taken when nothing else is held; the request-size
   * limit already bounds it.
   */
  hasRoomFor(rows: number): boolean {
    return !this.closed && (this.buffered === 0 || this.buffered + rows <= this.options.maxBufferedRows);
  }

  /** Buffers a request's rows for `database`; `request` identifies it in the blocks, for recovery after a crash. */
  enqueue(database: string, batches: readonly TableRows[], request?: Omit<BlockRequest, 'tables'>): EnqueueOutcome {
    const incoming = batches.reduce((n, b) => n + b.rows.length, 0);
    if (!this.hasRoomFor(incoming)) return { status: 'overloaded' };
    if (incoming === 0) return { status: 'accepted', written: Promise.resolve() };
    const written: Promise<void>[] = [];
    // Encoded before anything is buffered, so nothing is half taken.
    const encoded = batches.filter((b) => b.rows.length > 0).map(({ table, rows }) => ({ table, part: encodeTableRows(table, rows) }));
    const tagged = request && { ...request, tables: encoded.length };
    // Past half the buffer, the store is not keeping up: answering once stored slows the senders to its pace rather than refusing them.
    const answerEarly = this.options.acknowledge === 'spooled' && this.buffered + incoming <= this.options.maxBufferedRows / 2;
    for (const { table, part } of encoded) {
      const target = { database, table };
      const key = keyOf(target);
      let p = this.pending.get(key);
      if (!p) this.pending.set(key, (p = { target, parts: [], rows: 0, waiters: [], requests: [], covers: [] }));
      p.parts.push(part);
      p.rows += part.rows;
      if (tagged) p.requests.push(tagged);
      const spooled = answerEarly && this.putPending(target, part, tagged);
      if (spooled) p.covers.push(spooled);
      else written.push(new Promise<void>((resolve, reject) => p.waiters.push({ resolve, reject })));
    }
    this.buffered += incoming;
    this.schedule();
    return { status: 'accepted', written: Promise.all(written).then(() => undefined) };
  }

  /** Writes everything buffered now. */
  async flush(): Promise<void> {
    this.forceAll = true;
    try {
      while (this.pending.size > 0 || this.draining) {
        await (this.draining ?? this.drain());
      }
    } finally {
      this.forceAll = false;
    }
  }

  /**
   * Stops taking rows, writes what is held (into the spool if the store is
   * down) and tries the spool once more; what the store still refuses stays
   * on disk for the next start. For shutdown.
   */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    if (this.timer) clearTimeout(this.timer);
    if (this.replayTimer) clearTimeout(this.replayTimer);
    await this.replaySpool();
  }

  /** Writes the spool's blocks into the store, oldest first, until it is empty or the store refuses one. */
  replaySpool(): Promise<void> {
    const spool = this.options.spool;
    if (!spool) return Promise.resolve();
    this.replaying ??= (async () => {
      for (let next = spool.oldest(); next; next = spool.oldest()) {
        try {
          const { database = this.options.defaultDatabase, table } = next.block;
          await this.options.insert({ database, table }, next.block, next.block.token);
        } catch (cause) {
          this.counters.lastError = cause instanceof Error ? cause.message : String(cause);
          // A block the store can never take must not hold up the ones behind it.
          if (isBadDataFailure(cause)) {
            spool.setAside(next.name);
            continue;
          }
          return;
        }
        spool.remove(next.name);
        this.counters.rowsReplayed += next.block.rows;
        this.counters.rowsWritten += next.block.rows;
      }
    })().finally(() => {
      this.replaying = undefined;
      if (!this.closed && spool.size > 0) this.scheduleReplay();
    });
    return this.replaying;
  }

  stats(): BatchWriterStats {
    return { bufferedRows: this.buffered, ...this.counters, spooledBlocks: this.options.spool?.size ?? 0, spooledBytes: this.options.spool?.heldBytes ?? 0 };
  }

  private scheduleReplay(): void {
    if (this.replayTimer || this.closed) return;
    this.replayTimer = setTimeout(() => {
      this.replayTimer = undefined;
      void this.replaySpool();
    }, this.options.replayIntervalMillis ?? 2_000);
    this.replayTimer.unref();
  }

  private schedule(): void {
    if (this.draining) return; // the drain loop re-schedules when it ends
    const due = this.nextDueIn();
    if (due === undefined) return;
    if (this.timer) clearTimeout(this.timer);
    if (due <= 0) {
      this.timer = undefined;
      void this.drain();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.drain();
    }, due);
    this.timer.unref();
  }

  /** Milliseconds until the next target is due; undefined when nothing is held. */
  private nextDueIn(): number | undefined {
    let soonest: number | undefined;
    const now = Date.now();
    for (const key of this.pending.keys()) {
      const due = this.dueIn(key, now);
      soonest = soonest === undefined ? due : Math.min(soonest, due);
    }
    return soonest;
  }

  /** Milliseconds until the target under `key` may be written; 0 or less when it may be now. */
  private dueIn(key: string, now: number): number {
    if (this.forceAll || this.pending.get(key)!.rows >= this.options.maxRows) return 0;
    const last = this.lastInsert.get(key);
    return last === undefined ? 0 : last + this.options.minIntervalMillis - now;
  }

  private drain(): Promise<void> {
    // `.finally` runs after the assignment even when the loop finds nothing
    // due and settles at once, so `draining` can never be left stale.
    this.draining ??= this.writeDueTables().finally(() => {
      this.draining = undefined;
      this.schedule();
    });
    return this.draining;
  }

  private async writeDueTables(): Promise<void> {
    for (;;) {
      const key = this.dueKey();
      if (key === undefined) return;
      const batch = this.pending.get(key)!;
      this.pending.delete(key);
      await this.write(key, batch);
    }
  }

  /**
   * True when the block is safely on disk; false without a spool, when it is
   * full, or when the disk fails. `files` hold the block's rows (beginInsert),
   * kept rather than written again.
   */
  private spoolBlock(block: SpooledBlock, files: readonly string[]): boolean {
    const spool = this.options.spool;
    if (!spool) return false;
    try {
      if (!(files.length > 0 ? files.every((file) => spool.keep(file)) : spool.put(block))) return false;
    } catch (cause) {
      this.spoolFailed(cause);
      return false;
    }
    this.counters.rowsSpooled += block.rows;
    this.scheduleReplay();
    return true;
  }

  /** A request's rows of one table, durably in the spool before their insert; its file's name, or undefined when there is no room or the disk fails. */
  private putPending(target: InsertTarget, part: EncodedRows, request: BlockRequest | undefined): string | undefined {
    const block = this.newBlock(target, [part], request ? [request] : []);
    try {
      return this.options.spool?.putPending(block);
    } catch (cause) {
      this.spoolFailed(cause);
      return undefined;
    }
  }

  /**
   * Notes the block in the spool while its insert runs, in place of the
   * pending files it `covers`; returns the files that hold its rows
   * meanwhile: the in-flight one, or when the disk fails the pending ones
   * (none without either; the insert goes ahead).
   */
  private beginInsert(block: SpooledBlock, covers: readonly string[]): string[] {
    try {
      const inFlight = this.options.spool?.beginInsert(block, covers);
      return inFlight ? [inFlight] : [];
    } catch (cause) {
      this.spoolFailed(cause);
      return [...covers];
    }
  }

  private endInsert(files: readonly string[]): void {
    try {
      for (const file of files) this.options.spool?.endInsert(file);
    } catch (cause) {
      this.spoolFailed(cause);
    }
  }

  /** Keeps the acknowledged rows of a block the store can never take out of the replay, for a person to look at. */
  private setAside(files: readonly string[]): void {
    try {
      for (const file of files) this.options.spool?.setAside(file);
    } catch (cause) {
      this.spoolFailed(cause);
    }
  }

  /** A disk failure of the spool: reported in the stats, never thrown at the request. */
  private spoolFailed(cause: unknown): void {
    this.counters.lastError = `spool: ${cause instanceof Error ? cause.message : String(cause)}`;
  }

  private dueKey(): string | undefined {
    const now = Date.now();
    for (const key of this.pending.keys()) if (this.dueIn(key, now) <= 0) return key;
    return undefined;
  }

  /** A block of `parts` for `target` under a token of its own. */
  private newBlock(target: InsertTarget, parts: readonly EncodedRows[], requests: BlockRequest[]): SpooledBlock {
    return { ...target, token: `${this.tokenPrefix}-${++this.blocks}`, ...blockOf(target.table, parts), requests };
  }

  private async write(key: string, batch: Pending): Promise<void> {
    const { target } = batch;
    const block = this.newBlock(target, batch.parts, batch.requests);
    this.lastInsert.set(key, Date.now());
    const files = this.beginInsert(block, batch.covers);
    try {
      await this.options.insert(target, block, block.token);
      this.endInsert(files);
      this.counters.rowsWritten += batch.rows;
      this.counters.insertsSucceeded += 1;
      for (const w of batch.waiters) w.resolve();
    } catch (cause) {
      this.counters.insertsFailed += 1;
      this.counters.lastError = cause instanceof Error ? cause.message : String(cause);
      this.options.onInsertError?.(target, batch.rows, cause);
      // The same token on replay: if the store took part of it after all, ClickHouse skips the block.
      if (!isBadDataFailure(cause) && this.spoolBlock(block, files)) {
        for (const w of batch.waiters) w.resolve();
        return;
      }
      if (batch.covers.length > 0) this.setAside(files);
      else this.endInsert(files);
      const error = cause instanceof StoreError ? cause : new StoreError(`Insert into ${key} failed: ${this.counters.lastError}`, { cause });
      for (const w of batch.waiters) w.reject(error);
    } finally {
      this.buffered -= batch.rows;
    }
  }
}

/** The key of a target's buffer: its qualified table name, which no other target shares (table names hold no dot). */
const keyOf = ({ database, table }: InsertTarget): string => `${database}.${table}`;
