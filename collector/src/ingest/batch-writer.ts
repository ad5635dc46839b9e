import { StoreError } from '../errors.js';
import type { TableName, TableRows } from '../store/table-names.js';

type Row = Record<string, unknown>;

/** Inserts rows into one table; throws when ClickHouse does not take them. */
export type InsertRows = (table: TableName, rows: Row[]) => Promise<void>;

export interface BatchWriterOptions {
  /** A table is written once this many rows wait for it. */
  maxRows: number;
  /** ...or once its oldest row has waited this long. */
  maxDelayMillis: number;
  /** Rows held (waiting plus being written) before enqueue answers 'overloaded'. */
  maxBufferedRows: number;
  insert: InsertRows;
  /** Called when an insert fails, for the collector's log. */
  onInsertError?: (table: TableName, rows: number, error: unknown) => void;
}

/** What enqueue did with a request's rows. */
export type EnqueueOutcome =
  /** Rows are buffered; `written` settles once they are in ClickHouse (rejects with StoreError if not). */
  | { status: 'accepted'; written: Promise<void> }
  /** Too many rows are already held; nothing was taken. */
  | { status: 'overloaded' };

export interface BatchWriterStats {
  bufferedRows: number;
  rowsWritten: number;
  insertsSucceeded: number;
  insertsFailed: number;
  lastError: string | null;
}

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface Pending {
  rows: Row[];
  waiters: Waiter[];
  since: number;
}

/**
 * Buffers rows per table and writes them with a single writer: a table is
 * flushed when it reaches maxRows or its oldest row reaches maxDelayMillis.
 * A request is acknowledged only after its rows are inserted, so nothing the
 * collector acknowledged is lost; memory is bounded by maxBufferedRows.
 */
export class BatchWriter {
  private readonly pending = new Map<TableName, Pending>();
  private buffered = 0;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private forceAll = false;
  private closed = false;
  private readonly counters = { rowsWritten: 0, insertsSucceeded: 0, insertsFailed: 0, lastError: null as string | null };

  constructor(private readonly options: BatchWriterOptions) {}

  enqueue(batches: readonly TableRows[]): EnqueueOutcome {
    if (this.closed) return { status: 'overloaded' };
    const incoming = batches.reduce((n, b) => n + b.rows.length, 0);
    if (incoming === 0) return { status: 'accepted', written: Promise.resolve() };
    // One request larger than the whole budget is still taken when nothing
    // else is held; the request-size limit already bounds it.
    if (this.buffered > 0 && this.buffered + incoming > this.options.maxBufferedRows) return { status: 'overloaded' };
    const written: Promise<void>[] = [];
    const now = Date.now();
    for (const { table, rows } of batches) {
      if (rows.length === 0) continue;
      let p = this.pending.get(table);
      if (!p) this.pending.set(table, (p = { rows: [], waiters: [], since: now }));
      for (const row of rows) p.rows.push(row);
      written.push(new Promise<void>((resolve, reject) => p.waiters.push({ resolve, reject })));
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

  /** Stops taking rows and writes what is held; for shutdown. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    if (this.timer) clearTimeout(this.timer);
  }

  stats(): BatchWriterStats {
    return { bufferedRows: this.buffered, ...this.counters };
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

  /** Milliseconds until the next table is due; undefined when nothing is held. */
  private nextDueIn(): number | undefined {
    let soonest: number | undefined;
    const now = Date.now();
    for (const p of this.pending.values()) {
      const due = this.forceAll || p.rows.length >= this.options.maxRows ? 0 : p.since + this.options.maxDelayMillis - now;
      soonest = soonest === undefined ? due : Math.min(soonest, due);
    }
    return soonest;
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
      const table = this.dueTable();
      if (!table) return;
      const batch = this.pending.get(table)!;
      this.pending.delete(table);
      await this.write(table, batch);
    }
  }

  private dueTable(): TableName | undefined {
    const now = Date.now();
    for (const [table, p] of this.pending) {
      if (this.forceAll || p.rows.length >= this.options.maxRows || now - p.since >= this.options.maxDelayMillis) return table;
    }
    return undefined;
  }

  private async write(table: TableName, batch: Pending): Promise<void> {
    try {
      await this.options.insert(table, batch.rows);
      this.counters.rowsWritten += batch.rows.length;
      this.counters.insertsSucceeded += 1;
      for (const w of batch.waiters) w.resolve();
    } catch (cause) {
      this.counters.insertsFailed += 1;
      this.counters.lastError = cause instanceof Error ? cause.message : String(cause);
      this.options.onInsertError?.(table, batch.rows.length, cause);
      const error = cause instanceof StoreError ? cause : new StoreError(`Insert into ${table} failed: ${this.counters.lastError}`, { cause });
      for (const w of batch.waiters) w.reject(error);
    } finally {
      this.buffered -= batch.rows.length;
    }
  }
}
