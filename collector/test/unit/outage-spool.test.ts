import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { crc32 } from 'node:zlib';
import { encodeBlock, encodeRows } from '../../src/ingest/encoded-block.js';
import { OutageSpool } from '../../src/ingest/outage-spool.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'tv-spool-'));
  dirs.push(dir);
  return dir;
};
/** A block as versions before tenants spooled it: no database. */
const preTenantBlock = (token: string) => ({ table: 'logs' as const, token, ...encodeRows([{ EventName: 'conn.open', SessionId: token }]) });
const block = (token: string) => ({ database: 'tunnelvision_t_acme', ...preTenantBlock(token) });

describe('OutageSpool', () => {
  it('keeps blocks across a reopen and gives them back oldest first', () => {
    const dir = fresh();
    const spool = new OutageSpool({ dir, maxBytes: 1_000_000 });
    expect(spool.put(block('a'))).toBe(true);
    expect(spool.put(block('b'))).toBe(true);
    const reopened = new OutageSpool({ dir, maxBytes: 1_000_000 });
    expect(reopened.size).toBe(2);
    const first = reopened.oldest()!;
    expect(first.block).toEqual(block('a'));
    reopened.remove(first.name);
    expect(reopened.oldest()!.block.token).toBe('b');
    // Numbering continues after the blocks found on disk.
    reopened.put(block('c'));
    expect(readdirSync(dir).sort()).toEqual(['0000000000000001.block', '0000000000000002.block']);
  });

  it('refuses a block past maxBytes and writes nothing', () => {
    const dir = fresh();
    const spool = new OutageSpool({ dir, maxBytes: 150 });
    expect(spool.put(block('a'))).toBe(true);
    expect(spool.put(block('b'))).toBe(false);
    expect(spool.size).toBe(1);
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it('sets aside a block whose checksum fails, drops unfinished writes, and sets aside blocks the store can never take', () => {
    const dir = fresh();
    const spool = new OutageSpool({ dir, maxBytes: 1_000_000 });
    spool.put(block('a'));
    spool.put(block('b'));
    const torn = join(dir, '0000000000000000.block');
    writeFileSync(torn, readFileSync(torn, 'utf8').replace('conn.open', 'conn.opem'));
    writeFileSync(join(dir, '0000000000000009.block.tmp'), 'half a blo');
    const reopened = new OutageSpool({ dir, maxBytes: 1_000_000 });
    expect(reopened.oldest()!.block.token).toBe('b');
    reopened.setAside('0000000000000001.block');
    expect(reopened.size).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['0000000000000000.block.corrupt', '0000000000000001.block.rejected']);
  });

  it('notes a block while its insert runs and forgets it once the insert ends', () => {
    const dir = fresh();
    const spool = new OutageSpool({ dir, maxBytes: 1_000_000 });
    const name = spool.beginInsert(block('a'));
    expect(readdirSync(dir)).toEqual([name]);
    expect(spool.size).toBe(0);
    spool.endInsert(name);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps an in-flight block whose insert failed, within maxBytes', () => {
    const dir = fresh();
    const spool = new OutageSpool({ dir, maxBytes: 150 });
    expect(spool.keep(spool.beginInsert(block('a')))).toBe(true);
    expect(spool.oldest()!.block).toEqual(block('a'));
    const second = spool.beginInsert(block('b'));
    expect(spool.keep(second)).toBe(false);
    spool.endInsert(second);
    expect(readdirSync(dir)).toEqual(['0000000000000000.block']);
  });

  it('after a crash mid-insert, spools the whole in-flight blocks for replay with their requests, and deletes torn ones', () => {
    const dir = fresh();
    const spool = new OutageSpool({ dir, maxBytes: 1_000_000 });
    spool.put(block('spooled'));
    const request = { id: 'req-1', tables: 2, rejected: 1, errorMessage: 'one bad record' };
    spool.beginInsert({ ...block('in-flight'), requests: [request] });
    const torn = spool.beginInsert(block('torn'));
    writeFileSync(join(dir, torn), readFileSync(join(dir, torn), 'utf8').slice(0, 20));
    const reopened = new OutageSpool({ dir, maxBytes: 1_000_000 });
    expect(reopened.recoveredRequests).toEqual([request]);
    expect(readdirSync(dir).sort()).toEqual(['0000000000000000.block', '0000000000000001.block']);
    expect(reopened.oldest()!.block.token).toBe('spooled');
    reopened.remove('0000000000000000.block');
    expect(reopened.oldest()!.block.token).toBe('in-flight');
  });

  describe('acknowledged once spooled', () => {
    const request = (id: string) => ({ id, tables: 1, rejected: 0, errorMessage: '' });

    it("holds a request's rows as pending, counted against maxBytes, until an in-flight block takes their place", () => {
      const dir = fresh();
      const spool = new OutageSpool({ dir, maxBytes: 300 });
      const first = spool.putPending(block('p1'))!;
      const second = spool.putPending(block('p2'))!;
      expect(spool.heldBytes).toBeGreaterThan(200);
      // Pending rows are on their way into the store: the outage replay leaves them alone.
      expect(spool.size).toBe(0);
      expect(spool.oldest()).toBeUndefined();
      expect(spool.putPending(block('p3'))).toBeUndefined();
      const inFlight = spool.beginInsert(block('group'), [first, second]);
      expect(readdirSync(dir)).toEqual([inFlight]);
      expect(spool.heldBytes).toBe(statSync(join(dir, inFlight)).size);
      spool.endInsert(inFlight);
      expect(readdirSync(dir)).toEqual([]);
      expect(spool.heldBytes).toBe(0);
    });

    it('keeps an in-flight block of acknowledged rows whatever the limit, since its bytes were counted', () => {
      const dir = fresh();
      const spool = new OutageSpool({ dir, maxBytes: 150 });
      const inFlight = spool.beginInsert(block('group'), [spool.putPending(block('p1'))!]);
      expect(spool.keep(inFlight)).toBe(true);
      expect(spool.oldest()!.block.token).toBe('group');
      // The block's header names the pending file it covers: it takes a little more than they did, past the limit.
      expect(spool.heldBytes).toBeGreaterThan(150);
    });

    it('after a crash, replays the pending rows no in-flight block covers with their own token, and a covering block once', () => {
      const dir = fresh();
      const spool = new OutageSpool({ dir, maxBytes: 1_000_000 });
      const covered = spool.putPending({ ...block('p1'), requests: [request('req-1')] })!;
      const coveredCopy = readFileSync(join(dir, covered));
      spool.beginInsert({ ...block('group'), requests: [request('req-1')] }, [covered]);
      // The crash came after the in-flight block was on disk, before the pending file it covers was deleted.
      writeFileSync(join(dir, covered), coveredCopy);
      spool.putPending({ ...block('p2'), requests: [request('req-2')] });
      const reopened = new OutageSpool({ dir, maxBytes: 1_000_000 });
      expect(readdirSync(dir).sort()).toEqual(['0000000000000001.block', '0000000000000002.block']);
      expect(reopened.oldest()!.block.token).toBe('group');
      reopened.remove('0000000000000001.block');
      expect(reopened.oldest()!.block.token).toBe('p2');
      expect(reopened.recoveredRequests.map((r) => r.id).sort()).toEqual(['req-1', 'req-2']);
    });

    it('after a crash while the covering block was being written, replays the pending rows instead', () => {
      const dir = fresh();
      const spool = new OutageSpool({ dir, maxBytes: 1_000_000 });
      const pending = spool.putPending(block('p1'))!;
      const copy = readFileSync(join(dir, pending));
      const inFlight = spool.beginInsert(block('group'), [pending]);
      writeFileSync(join(dir, pending), copy);
      writeFileSync(join(dir, inFlight), readFileSync(join(dir, inFlight)).subarray(0, 30));
      const reopened = new OutageSpool({ dir, maxBytes: 1_000_000 });
      expect(readdirSync(dir)).toEqual(['0000000000000000.block']);
      expect(reopened.oldest()!.block).toEqual(block('p1'));
    });
  });

  it('keeps a binary block as it was encoded, its format with it', () => {
    const dir = fresh();
    const binary = { database: 'tunnelvision_t_acme', table: 'logs' as const, token: 'rb', ...encodeBlock('logs', [{ EventName: 'conn.open', SessionId: 'line\nbreak', Body: '\u0000' }]) };
    expect(binary.format).toBe('RowBinaryWithNamesAndTypes');
    expect(binary.body.includes(0x0a)).toBe(true);
    const spool = new OutageSpool({ dir, maxBytes: 1_000_000 });
    expect(spool.put(binary)).toBe(true);
    spool.keep(spool.beginInsert({ ...binary, token: 'rb-in-flight' }));
    const reopened = new OutageSpool({ dir, maxBytes: 1_000_000 });
    expect(reopened.oldest()!.block).toEqual(binary);
    reopened.remove('0000000000000000.block');
    expect(reopened.oldest()!.block).toEqual({ ...binary, token: 'rb-in-flight' });
  });

  it('reads the blocks an earlier version spooled, rows and all', () => {
    const dir = fresh();
    const json = JSON.stringify({ table: 'logs', token: 'old', rows: [{ EventName: 'conn.open', SessionId: 'old' }] });
    writeFileSync(join(dir, '0000000000000004.block'), `${crc32(json).toString(16).padStart(8, '0')} ${json}`);
    const spool = new OutageSpool({ dir, maxBytes: 1_000_000 });
    expect(spool.oldest()!.block).toEqual(preTenantBlock('old'));
    spool.put(block('new'));
    expect(readdirSync(dir).sort()).toEqual(['0000000000000004.block', '0000000000000005.block']);
  });

  it('reads the blocks spooled before tenants, without a database, and keeps the database of the current ones', () => {
    const dir = fresh();
    const old = preTenantBlock('pre-tenant');
    // The previous version's file: the checksum, then a header naming no database, then the rows.
    const header = Buffer.from(`${JSON.stringify({ table: old.table, token: old.token, rows: old.rows })}\n`);
    const checksum = crc32(old.body, crc32(header)).toString(16).padStart(8, '0');
    writeFileSync(join(dir, '0000000000000000.block'), Buffer.concat([Buffer.from(`${checksum} `), header, old.body]));
    const spool = new OutageSpool({ dir, maxBytes: 1_000_000 });
    spool.put(block('tenant'));
    const first = spool.oldest()!;
    expect(first.block).toEqual(old);
    expect(first.block.database).toBeUndefined();
    spool.remove(first.name);
    expect(spool.oldest()!.block).toEqual(block('tenant'));
  });
});
