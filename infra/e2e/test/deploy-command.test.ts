import { describe, expect, it } from 'vitest';
import { deployCommand } from '@tunnelvision/infra';
import { collectorPerFile } from './support/collector-per-file.js';

/** `tunnelvision deploy`, run in-process against a real collector that requires an ingest key. */

const KEY = 'infra-test-key-0123456789';
const collector = collectorPerFile({ ingestKey: KEY });

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const lines: string[] = [];
  const code = await deployCommand(argv, { COLLECTOR_URL: collector.url, ...env }, (line) => lines.push(line));
  return { code, output: lines.join('\n') };
}

describe('tunnelvision deploy', () => {
  it('records a marker with the ingest key from the environment', async () => {
    const { code, output } = await run(['--service', 'chat', '--version', '5.0.1', '--commit', 'abc123', '--time', '2026-11-20T10:00:00Z'], {
      TUNNELVISION_INGEST_KEY: KEY,
    });
    expect(code).toBe(0);
    expect(output).toMatch(/^Deploy marker recorded: chat 5.0.1 at 2026-11-20T10:00:00.000Z \(id [0-9a-f-]{36}\)$/);
    const response = await fetch(`${collector.url}/api/v1/deploys?from=2026-11-01T00:00:00Z`);
    const { deploys } = (await response.json()) as { deploys: { version: string; commit: string; environment: string }[] };
    expect(deploys).toEqual([expect.objectContaining({ version: '5.0.1', commit: 'abc123', environment: 'production' })]);
  });

  it('reports a refusal with the collector’s reason and exits 1', async () => {
    const { code, output } = await run(['--service', 'chat', '--version', '1', '--key', 'wrong-key-wrong-key']);
    expect(code).toBe(1);
    expect(output).toMatch(/refused the marker \(HTTP 401\): Unknown API key/);
  });

  it('explains missing or unknown options and exits 2', async () => {
    expect(await run(['--service', 'chat'])).toMatchObject({ code: 2, output: expect.stringMatching(/missing --version/) });
    expect(await run(['--servce', 'chat'])).toMatchObject({ code: 2, output: expect.stringMatching(/Unknown option '--servce'/) });
  });

  it('says when the collector cannot be reached', async () => {
    const { code, output } = await run(['--service', 'chat', '--version', '1', '--url', 'http://127.0.0.1:9']);
    expect(code).toBe(1);
    expect(output).toMatch(/cannot reach the collector at http:\/\/127.0.0.1:9/);
  });
});
