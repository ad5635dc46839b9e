import { describe, expect, it } from 'vitest';
import { chooseTestStore } from '../../src/testing/test-collector.js';

/**
 * TEST_CLICKHOUSE_URL moves every test that starts a collector through
 * startTestCollector onto a ClickHouse server. No server runs here, so
 * this checks the decision; the suite itself runs on the embedded store.
 */
describe('chooseTestStore', () => {
  it('uses the embedded store in the data directory when TEST_CLICKHOUSE_URL is unset or empty', () => {
    expect(chooseTestStore('/tmp/tv-test-a', {})).toEqual({ mode: 'embedded', dataDir: '/tmp/tv-test-a' });
    expect(chooseTestStore('/tmp/tv-test-a', { TEST_CLICKHOUSE_URL: '  ' })).toEqual({ mode: 'embedded', dataDir: '/tmp/tv-test-a' });
  });

  it('uses the server with a database of its own per data directory (so per test file), the same one across a restart', () => {
    const env = { TEST_CLICKHOUSE_URL: 'http://default:secret@127.0.0.1:8123' };
    const a = chooseTestStore('/tmp/tv-test-a', env);
    expect(a).toMatchObject({ mode: 'server', url: 'http://default:secret@127.0.0.1:8123', cluster: undefined });
    expect(a.mode === 'server' && a.database).toMatch(/^tv_test_[0-9a-f]{16}$/);
    expect(chooseTestStore('/tmp/tv-test-a', env)).toEqual(a);
    const b = chooseTestStore('/tmp/tv-test-b', env);
    expect(b.mode === 'server' && b.database).not.toBe(a.mode === 'server' && a.database);
  });

  it('runs on a cluster with TEST_CLICKHOUSE_CLUSTER', () => {
    expect(chooseTestStore('/tmp/x', { TEST_CLICKHOUSE_URL: 'https://ch.internal:8443', TEST_CLICKHOUSE_CLUSTER: 'tunnelvision' })).toMatchObject({
      mode: 'server',
      cluster: 'tunnelvision',
    });
  });

  it('refuses a value it cannot use, naming the variable', () => {
    expect(() => chooseTestStore('/tmp/x', { TEST_CLICKHOUSE_URL: 'tcp://ch:9000' })).toThrow(/TEST_CLICKHOUSE_URL="tcp:\/\/ch:9000": must be an http\(s\) URL/);
    expect(() => chooseTestStore('/tmp/x', { TEST_CLICKHOUSE_CLUSTER: 'tunnelvision' })).toThrow(/TEST_CLICKHOUSE_CLUSTER needs TEST_CLICKHOUSE_URL/);
    expect(() => chooseTestStore('/tmp/x', { TEST_CLICKHOUSE_URL: 'http://ch:8123', TEST_CLICKHOUSE_CLUSTER: 'a b' })).toThrow(/TEST_CLICKHOUSE_CLUSTER="a b"/);
  });
});
