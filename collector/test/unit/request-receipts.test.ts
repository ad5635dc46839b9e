import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RequestReceipts, requestIdentity } from '../../src/ingest/request-receipts.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const journal = () => {
  const dir = mkdtempSync(join(tmpdir(), 'tv-receipts-'));
  dirs.push(dir);
  return join(dir, 'nested', 'request-receipts.tsv');
};

/** A request whose write succeeded, remembered as the route does it. */
async function stored(receipts: RequestReceipts, id: string, receipt = { rejected: 0, errorMessage: '' }): Promise<void> {
  receipts.storing(id, Promise.resolve(), receipt);
  await receipts.find(id);
}

describe('requestIdentity', () => {
  it('is the same for the same bytes, signal and database, different otherwise', () => {
    const body = Buffer.from('{"resourceLogs":[]}');
    const id = requestIdentity('logs', body, 'tunnelvision');
    expect(id).toBe(requestIdentity('logs', Buffer.from(body), 'tunnelvision'));
    expect(id).not.toBe(requestIdentity('traces', body, 'tunnelvision'));
    expect(id).not.toBe(requestIdentity('logs', Buffer.from('{"resourceLogs":[{}]}'), 'tunnelvision'));
    expect(id).not.toBe(requestIdentity('logs', body, 'tunnelvision_t_acme'));
  });
});

describe('RequestReceipts', () => {
  it('answers a stored request again after a reopen, message and partial count included', async () => {
    const file = journal();
    const receipts = new RequestReceipts({ file, windowMillis: 60_000 });
    await stored(receipts, 'a', { rejected: 2, errorMessage: 'record 3: bad\ttab and ünïcode' });
    await stored(receipts, 'b');
    const reopened = new RequestReceipts({ file, windowMillis: 60_000 });
    expect(await reopened.find('a')).toEqual({ rejected: 2, errorMessage: 'record 3: bad\ttab and ünïcode' });
    expect(await reopened.find('b')).toEqual({ rejected: 0, errorMessage: '' });
    expect(await reopened.find('c')).toBeUndefined();
  });

  it('forgets receipts older than the window, in memory and in the journal', async () => {
    const file = journal();
    let now = 1_000_000;
    const receipts = new RequestReceipts({ file, windowMillis: 10_000, now: () => now });
    await stored(receipts, 'old');
    now += 6_000;
    await stored(receipts, 'new');
    now += 5_000;
    expect(await receipts.find('old')).toBeUndefined();
    expect(await receipts.find('new')).toBeDefined();
    const reopened = new RequestReceipts({ file, windowMillis: 10_000, now: () => now });
    expect(reopened.size).toBe(1);
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('ignores a journal line a crash cut short and keeps the rest', async () => {
    const file = journal();
    const receipts = new RequestReceipts({ file, windowMillis: 60_000 });
    await stored(receipts, 'whole');
    appendFileSync(file, 'cut\t17');
    const reopened = new RequestReceipts({ file, windowMillis: 60_000 });
    expect(reopened.size).toBe(1);
    expect(await reopened.find('cut')).toBeUndefined();
    // The compaction at start removed the cut line, so the next append starts a fresh line.
    await stored(reopened, 'after');
    expect(await new RequestReceipts({ file, windowMillis: 60_000 }).find('after')).toBeDefined();
  });

  it('keeps at most maxEntries, forgetting the oldest first', async () => {
    const receipts = new RequestReceipts({ file: journal(), windowMillis: 60_000, maxEntries: 3 });
    for (const id of ['a', 'b', 'c', 'd']) await stored(receipts, id);
    expect(receipts.size).toBe(3);
    expect(await receipts.find('a')).toBeUndefined();
    expect(await receipts.find('d')).toBeDefined();
  });

  it('rewrites the journal once most of its lines are stale', async () => {
    const file = journal();
    let now = 0;
    const receipts = new RequestReceipts({ file, windowMillis: 100, now: () => now });
    for (let i = 0; i < 3_000; i += 1) {
      now += 1;
      await stored(receipts, `id-${i}`);
    }
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
    expect(lines).toBeLessThanOrEqual(1_001);
    expect(lines).toBeGreaterThanOrEqual(receipts.size);
  });

  it('makes a retry wait for its still-running original, then answers from its receipt', async () => {
    const receipts = new RequestReceipts({ file: journal(), windowMillis: 60_000 });
    let finish!: () => void;
    const written = new Promise<void>((resolve) => (finish = resolve));
    receipts.storing('a', written, { rejected: 1, errorMessage: 'one bad' });
    let answered = false;
    const retry = receipts.find('a').then((receipt) => {
      answered = true;
      return receipt;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBe(false);
    finish();
    expect(await retry).toEqual({ rejected: 1, errorMessage: 'one bad' });
  });

  it('has the receipt in place by the time the original resumes to answer', async () => {
    const receipts = new RequestReceipts({ file: journal(), windowMillis: 60_000 });
    const written = Promise.resolve();
    receipts.storing('a', written, { rejected: 0, errorMessage: '' });
    await written;
    expect(receipts.size).toBe(1);
  });

  it('keeps a receipt in memory when the journal cannot be written', async () => {
    const errors: Error[] = [];
    const file = journal();
    const receipts = new RequestReceipts({ file, windowMillis: 60_000, onJournalError: (err) => errors.push(err) });
    rmSync(join(file, '..'), { recursive: true });
    await stored(receipts, 'a');
    expect(errors).toHaveLength(1);
    expect(await receipts.find('a')).toBeDefined();
  });

  it('lets a retry through when its original failed', async () => {
    const receipts = new RequestReceipts({ file: journal(), windowMillis: 60_000 });
    receipts.storing('a', Promise.reject(new Error('store down')), { rejected: 0, errorMessage: '' });
    await expect(receipts.find('a')).resolves.toBeUndefined();
  });

  it('recovers receipts for requests whose every block a crash left in flight, and only those', async () => {
    const receipts = new RequestReceipts({ file: journal(), windowMillis: 60_000 });
    const request = (id: string, tables: number) => ({ id, tables, rejected: 0, errorMessage: '' });
    // "whole" spans two tables and both blocks were found; "partial" spans two but one block was still in memory.
    receipts.recover([request('whole', 2), request('single', 1), request('partial', 2), request('whole', 2)]);
    expect(await receipts.find('whole')).toBeDefined();
    expect(await receipts.find('single')).toBeDefined();
    expect(await receipts.find('partial')).toBeUndefined();
    expect(receipts.size).toBe(2);
  });
});

