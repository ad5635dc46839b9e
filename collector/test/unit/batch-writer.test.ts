import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatchWriter, type InsertRows } from '../../src/ingest/batch-writer.js';
import { OutageSpool } from '../../src/ingest/outage-spool.js';
import { StoreError } from '../../src/errors.js';
import type { InsertTarget, TableName } from '../../src/store/table-names.js';

const DB = 'tunnelvision';
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ i }));

function recordingWriter(overrides: Partial<ConstructorParameters<typeof BatchWriter>[0]> = {}) {
  const inserts: { table: TableName; count: number }[] = [];
  const insert: InsertRows = async ({ table }, batch) => {
    inserts.push({ table, count: batch.rows });
  };
  const writer = new BatchWriter({ maxRows: 10, minIntervalMillis: 1_000, maxBufferedRows: 100, insert, defaultDatabase: DB, ...overrides });
  return { writer, inserts };
}

describe('BatchWriter', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes at once when the writer is free, and acknowledges only after the insert', async () => {
    let finish = () => {};
    const inserts: number[] = [];
    const writer = new BatchWriter({
      maxRows: 10,
      minIntervalMillis: 1_000,
      maxBufferedRows: 100,
      defaultDatabase: DB,
      insert: async (_table, block) => {
        inserts.push(block.rows);
        await new Promise<void>((resolve) => (finish = resolve));
      },
    });
    const first = writer.enqueue(DB, [{ table: 'logs', rows: rows(3) }]);
    let acked = false;
    if (first.status === 'accepted') void first.written.then(() => (acked = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(inserts).toEqual([3]);
    expect(acked).toBe(false);
    // Rows arriving while an insert runs go together into the next one, after the interval.
    writer.enqueue(DB, [{ table: 'logs', rows: rows(2) }]);
    writer.enqueue(DB, [{ table: 'logs', rows: rows(4) }]);
    finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(acked).toBe(true);
    expect(inserts).toEqual([3]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(inserts).toEqual([3, 6]);
    finish();
  });

  it('within minIntervalMillis of the last insert into a table, writes it once maxRows are held', async () => {
    const { writer, inserts } = recordingWriter();
    writer.enqueue(DB, [{ table: 'logs', rows: rows(1) }]);
    await vi.advanceTimersByTimeAsync(0);
    writer.enqueue(DB, [{ table: 'logs', rows: rows(6) }]);
    await vi.advanceTimersByTimeAsync(10);
    expect(inserts).toEqual([{ table: 'logs', count: 1 }]);
    writer.enqueue(DB, [{ table: 'logs', rows: rows(4) }]);
    await vi.advanceTimersByTimeAsync(0);
    expect(inserts).toEqual([{ table: 'logs', count: 1 }, { table: 'logs', count: 10 }]);
  });

  it('keeps tables apart and resolves a request only when all its tables are written', async () => {
    const { writer, inserts } = recordingWriter();
    writer.enqueue(DB, [{ table: 'metrics_gauge', rows: rows(1) }]);
    await vi.advanceTimersByTimeAsync(0);
    const outcome = writer.enqueue(DB, [
      { table: 'metrics_sum', rows: rows(10) },
      { table: 'metrics_gauge', rows: rows(1) },
    ]);
    let acked = false;
    if (outcome.status === 'accepted') void outcome.written.then(() => (acked = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(inserts).toEqual([
      { table: 'metrics_gauge', count: 1 },
      { table: 'metrics_sum', count: 10 },
    ]);
    expect(acked).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(inserts).toEqual([
      { table: 'metrics_gauge', count: 1 },
      { table: 'metrics_sum', count: 10 },
      { table: 'metrics_gauge', count: 1 },
    ]);
    expect(acked).toBe(true);
  });

  it('keeps databases apart: one table of two databases is two blocks, each spaced on its own', async () => {
    const targets: (InsertTarget & { count: number })[] = [];
    const writer = new BatchWriter({
      maxRows: 10,
      minIntervalMillis: 1_000,
      maxBufferedRows: 100,
      defaultDatabase: DB,
      insert: async (target, block) => {
        targets.push({ ...target, count: block.rows });
      },
    });
    writer.enqueue(DB, [{ table: 'logs', rows: rows(2) }]);
    writer.enqueue('tunnelvision_t_acme', [{ table: 'logs', rows: rows(3) }]);
    await vi.advanceTimersByTimeAsync(0);
    expect(targets).toEqual([
      { database: DB, table: 'logs', count: 2 },
      { database: 'tunnelvision_t_acme', table: 'logs', count: 3 },
    ]);
    // A write into one database does not hold up the same table of another.
    writer.enqueue(DB, [{ table: 'logs', rows: rows(1) }]);
    writer.enqueue('tunnelvision_t_other', [{ table: 'logs', rows: rows(1) }]);
    await vi.advanceTimersByTimeAsync(0);
    expect(targets.slice(2)).toEqual([{ database: 'tunnelvision_t_other', table: 'logs', count: 1 }]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(targets.slice(3)).toEqual([{ database: DB, table: 'logs', count: 1 }]);
  });

  it('holds at most maxBufferedRows across all databases', () => {
    const { writer } = recordingWriter({ maxRows: 1_000, maxBufferedRows: 20 });
    expect(writer.enqueue(DB, [{ table: 'logs', rows: rows(15) }]).status).toBe('accepted');
    expect(writer.enqueue('tunnelvision_t_acme', [{ table: 'logs', rows: rows(6) }]).status).toBe('overloaded');
    expect(writer.enqueue('tunnelvision_t_acme', [{ table: 'logs', rows: rows(5) }]).status).toBe('accepted');
  });

  it('answers overloaded instead of holding more than maxBufferedRows', async () => {
    const { writer } = recordingWriter({ maxRows: 1_000, maxBufferedRows: 20 });
    expect(writer.enqueue(DB, [{ table: 'logs', rows: rows(15) }]).status).toBe('accepted');
    expect(writer.enqueue(DB, [{ table: 'logs', rows: rows(6) }]).status).toBe('overloaded');
    expect(writer.enqueue(DB, [{ table: 'logs', rows: rows(5) }]).status).toBe('accepted');
    expect(writer.stats().bufferedRows).toBe(20);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(writer.stats().bufferedRows).toBe(0);
    expect(writer.enqueue(DB, [{ table: 'logs', rows: rows(6) }]).status).toBe('accepted');
  });

  it('takes one oversized request when nothing else is held', () => {
    const { writer } = recordingWriter({ maxBufferedRows: 5 });
    expect(writer.enqueue(DB, [{ table: 'logs', rows: rows(8) }]).status).toBe('accepted');
  });

  it('rejects waiters with StoreError when an insert fails, frees the buffer and keeps going', async () => {
    let fail = true;
    const writer = new BatchWriter({
      maxRows: 10,
      minIntervalMillis: 100,
      maxBufferedRows: 100,
      defaultDatabase: DB,
      insert: async () => {
        if (fail) throw new Error('connection refused');
      },
    });
    const outcome = writer.enqueue(DB, [{ table: 'logs', rows: rows(2) }]);
    if (outcome.status !== 'accepted') throw new Error('expected accepted');
    const settled = outcome.written.then(
      () => 'ok',
      (err: unknown) => err,
    );
    await vi.advanceTimersByTimeAsync(100);
    const error = await settled;
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toMatch(/Insert into tunnelvision\.logs failed: connection refused/);
    expect(writer.stats()).toMatchObject({ bufferedRows: 0, insertsFailed: 1, lastError: 'connection refused' });
    fail = false;
    const next = writer.enqueue(DB, [{ table: 'logs', rows: rows(1) }]);
    await vi.advanceTimersByTimeAsync(100);
    if (next.status === 'accepted') await expect(next.written).resolves.toBeUndefined();
    expect(writer.stats()).toMatchObject({ rowsWritten: 1, insertsSucceeded: 1 });
  });

  it('close writes everything held at once and then refuses more', async () => {
    const { writer, inserts } = recordingWriter();
    writer.enqueue(DB, [{ table: 'logs', rows: rows(3) }, { table: 'traces', rows: rows(2) }]);
    await writer.close();
    expect(inserts).toEqual([
      { table: 'logs', count: 3 },
      { table: 'traces', count: 2 },
    ]);
    expect(writer.enqueue(DB, [{ table: 'logs', rows: rows(1) }]).status).toBe('overloaded');
  });

  it('never stalls when the timer fires before anything is due', async () => {
    const { writer, inserts } = recordingWriter();
    writer.enqueue(DB, [{ table: 'logs', rows: rows(1) }]);
    await vi.advanceTimersByTimeAsync(0);
    writer.enqueue(DB, [{ table: 'logs', rows: rows(1) }]);
    // Timers may fire a millisecond early against Date.now(); the writer must re-arm.
    vi.setSystemTime(Date.now() - 5);
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.advanceTimersByTimeAsync(10);
    expect(inserts).toEqual([{ table: 'logs', count: 1 }, { table: 'logs', count: 1 }]);
    writer.enqueue(DB, [{ table: 'logs', rows: rows(10) }]);
    await vi.advanceTimersByTimeAsync(0);
    expect(inserts).toHaveLength(3);
  });

  describe('acknowledging once spooled', () => {
    const dirs: string[] = [];
    afterEach(() => {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    });
    const spoolIn = (maxBytes = 1_000_000) => {
      const dir = mkdtempSync(join(tmpdir(), 'tv-writer-spool-'));
      dirs.push(dir);
      return { dir, spool: new OutageSpool({ dir, maxBytes }) };
    };
    /** An insert that waits for `finish`, or fails with `fail`. */
    const heldInsert = () => {
      const blocks: number[] = [];
      const held = { finish: () => {}, fail: (_err: Error) => {} };
      const insert: InsertRows = async (_target, block) => {
        blocks.push(block.rows);
        await new Promise<void>((resolve, reject) => Object.assign(held, { finish: resolve, fail: reject }));
      };
      return { blocks, held, insert };
    };
    const ackedFlag = (outcome: ReturnType<BatchWriter['enqueue']>) => {
      const state = { acked: false };
      if (outcome.status === 'accepted') void outcome.written.then(() => (state.acked = true));
      return state;
    };

    it('answers a request once its rows are on disk, and inserts the requests that arrive meanwhile together', async () => {
      const { dir, spool } = spoolIn();
      const { blocks, held, insert } = heldInsert();
      const writer = new BatchWriter({ maxRows: 100, minIntervalMillis: 0, maxBufferedRows: 100, defaultDatabase: DB, insert, spool, acknowledge: 'spooled' });
      const first = ackedFlag(writer.enqueue(DB, [{ table: 'logs', rows: rows(3) }]));
      await vi.advanceTimersByTimeAsync(0);
      expect(first.acked).toBe(true);
      expect(blocks).toEqual([3]);
      // The insert still runs; the next requests are answered all the same, and wait for it together.
      const second = ackedFlag(writer.enqueue(DB, [{ table: 'logs', rows: rows(2) }]));
      const third = ackedFlag(writer.enqueue(DB, [{ table: 'logs', rows: rows(4) }]));
      await vi.advanceTimersByTimeAsync(0);
      expect([second.acked, third.acked]).toEqual([true, true]);
      expect(readdirSync(dir).filter((f) => f.endsWith('.pending'))).toHaveLength(2);
      expect(writer.stats().bufferedRows).toBe(9);
      held.finish();
      await vi.advanceTimersByTimeAsync(0);
      expect(blocks).toEqual([3, 6]);
      // The in-flight block took the two pending files' place.
      expect(readdirSync(dir).map((f) => f.replace(/^\d+/, ''))).toEqual(['.inflight']);
      held.finish();
      await vi.advanceTimersByTimeAsync(0);
      expect(readdirSync(dir)).toEqual([]);
      expect(writer.stats()).toMatchObject({ bufferedRows: 0, rowsWritten: 9 });
    });

    it('keeps acknowledged rows the store refused, and stores them once it is back', async () => {
      const { spool } = spoolIn();
      const { blocks, held, insert } = heldInsert();
      const options = { maxRows: 100, minIntervalMillis: 0, maxBufferedRows: 100, defaultDatabase: DB, replayIntervalMillis: 50 };
      const writer = new BatchWriter({ ...options, insert, spool, acknowledge: 'spooled' });
      const request = ackedFlag(writer.enqueue(DB, [{ table: 'logs', rows: rows(5) }]));
      await vi.advanceTimersByTimeAsync(0);
      expect(request.acked).toBe(true);
      held.fail(new Error('connection refused'));
      await vi.advanceTimersByTimeAsync(0);
      expect(writer.stats()).toMatchObject({ insertsFailed: 1, spooledBlocks: 1, bufferedRows: 0 });
      await vi.advanceTimersByTimeAsync(50);
      expect(blocks).toEqual([5, 5]);
      held.finish();
      await vi.advanceTimersByTimeAsync(0);
      expect(writer.stats()).toMatchObject({ spooledBlocks: 0, spooledBytes: 0, rowsReplayed: 5 });
    });

    it("answers once stored past half of maxBufferedRows, so a sender slows to the store's pace", async () => {
      const { spool } = spoolIn();
      const { held, insert } = heldInsert();
      const writer = new BatchWriter({ maxRows: 100, minIntervalMillis: 0, maxBufferedRows: 20, defaultDatabase: DB, insert, spool, acknowledge: 'spooled' });
      const first = ackedFlag(writer.enqueue(DB, [{ table: 'logs', rows: rows(8) }]));
      const second = ackedFlag(writer.enqueue(DB, [{ table: 'logs', rows: rows(4) }]));
      await vi.advanceTimersByTimeAsync(0);
      expect([first.acked, second.acked]).toEqual([true, false]);
      held.finish();
      await vi.advanceTimersByTimeAsync(0);
      // Its own insert now runs; it is answered when that ends.
      expect(second.acked).toBe(false);
      held.finish();
      await vi.advanceTimersByTimeAsync(0);
      expect(second.acked).toBe(true);
    });

    it('answers once stored when the spool has no room', async () => {
      const { dir, spool } = spoolIn(100);
      const { held, insert } = heldInsert();
      const writer = new BatchWriter({ maxRows: 100, minIntervalMillis: 0, maxBufferedRows: 100, defaultDatabase: DB, insert, spool, acknowledge: 'spooled' });
      const request = ackedFlag(writer.enqueue(DB, [{ table: 'logs', rows: rows(20) }]));
      await vi.advanceTimersByTimeAsync(0);
      expect(request.acked).toBe(false);
      expect(readdirSync(dir).filter((f) => f.endsWith('.pending'))).toEqual([]);
      held.finish();
      await vi.advanceTimersByTimeAsync(0);
      expect(request.acked).toBe(true);
    });
  });
});
