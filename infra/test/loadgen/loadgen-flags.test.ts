import { describe, expect, it } from 'vitest';
import { loadgenCommand } from '../../src/cli/loadgen-command.js';
import { parseDuration, parseLoadgenFlags } from '../../src/loadgen/loadgen-flags.js';

describe('parseDuration', () => {
  it('reads plain seconds and ms, s, m, h', () => {
    expect(parseDuration('90')).toBe(90_000);
    expect(parseDuration('1.5s')).toBe(1_500);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration('-5s')).toBeUndefined();
  });
});

describe('parseLoadgenFlags', () => {
  it('defaults to every scenario once, the local collector and no duration', () => {
    const flags = parseLoadgenFlags([], {});
    expect(flags).toEqual({
      kind: 'run',
      options: { collectorUrl: 'http://127.0.0.1:4318', scenarios: ['deploy', 'herd', 'tunnel', 'overload', 'loss'], loop: false },
      durationMillis: undefined,
      progressIntervalMillis: 5_000,
      workers: 1,
    });
  });

  it('takes the collector and ingest key from the environment, flags winning', () => {
    const env = { COLLECTOR_URL: 'http://collector:4318', TUNNELVISION_INGEST_KEY: 'env-key-0123456789' };
    expect(parseLoadgenFlags([], env)).toMatchObject({ options: { collectorUrl: 'http://collector:4318', ingestKey: 'env-key-0123456789' } });
    expect(parseLoadgenFlags(['--collector', 'http://other:1234', '--ingest-key', 'flag-key-0123456789'], env)).toMatchObject({
      options: { collectorUrl: 'http://other:1234', ingestKey: 'flag-key-0123456789' },
    });
  });

  it('maps every flag to its option', () => {
    const flags = parseLoadgenFlags(
      [
        '--clients', '2000', '--legacy-clients', '0', '--servers', '3', '--scenario', 'tunnel,deploy', '--loop',
        '--duration', '2m', '--pause', '5s', '--message-interval', '1500ms', '--tunnel-share', '0.5',
        '--flagged-share', '0.3', '--tunnel-duration', '45', '--overload-duration', '10s', '--deploy-step', '3s',
        '--client-sampling', '0.5', '--server-sampling', '0', '--progress-interval', '1s', '--workers', '3',
        '--transport', 'both',
      ],
      {},
    );
    expect(flags).toEqual({
      kind: 'run',
      options: {
        collectorUrl: 'http://127.0.0.1:4318',
        scenarios: ['tunnel', 'deploy'],
        loop: true,
        transport: 'both',
        clients: 2000,
        legacyClients: 0,
        servers: 3,
        pauseMillis: 5_000,
        messageIntervalMillis: 1_500,
        tunnelShare: 0.5,
        flaggedShare: 0.3,
        tunnelMillis: 45_000,
        overloadMillis: 10_000,
        deployStepMillis: 3_000,
        clientSamplingRatio: 0.5,
        serverSamplingRatio: 0,
      },
      durationMillis: 120_000,
      progressIntervalMillis: 1_000,
      workers: 3,
    });
  });

  it.each([
    [['--clients', 'many'], /--clients: expected a whole number from 1 to 100000, got "many"/],
    [['--clients', '0'], /--clients: expected a whole number from 1/],
    [['--servers', '1.5'], /--servers: expected a whole number from 1 to 32/],
    [['--workers', '0'], /--workers: expected a whole number from 1 to 64/],
    [['--transport', 'sse'], /--transport: expected ws, socket.io or both, got "sse"/],
    [['--tunnel-share', '1.2'], /--tunnel-share: expected a number from 0 to 1, got "1.2"/],
    [['--flagged-share', 'half'], /--flagged-share: expected a number from 0 to 1, got "half"/],
    [['--duration', 'forever'], /--duration: expected a time such as 30s/],
    [['--scenario', 'deploy,earthquake'], /--scenario: unknown scenario "earthquake"/],
    [['--collector', 'localhost:4318'], /--collector: expected an http\(s\) URL/],
    [['--clinets', '5'], /Unknown option '--clinets'/],
    [['extra'], /Unexpected argument 'extra'/],
  ])('refuses %j', (argv, message) => {
    const flags = parseLoadgenFlags(argv, {});
    expect(flags.kind).toBe('error');
    expect(flags.kind === 'error' ? flags.message : '').toMatch(message);
  });
});

describe('tunnelvision loadgen', () => {
  it('prints help and exits 0', async () => {
    const lines: string[] = [];
    expect(await loadgenCommand(['--help'], {}, (line) => lines.push(line))).toBe(0);
    expect(lines.join('\n')).toMatch(/Usage: tunnelvision loadgen/);
    expect(lines.join('\n')).toMatch(/--legacy-clients/);
  });

  it('explains a bad flag and exits 2 without starting anything', async () => {
    const lines: string[] = [];
    expect(await loadgenCommand(['--clients=-3'], {}, (line) => lines.push(line))).toBe(2);
    expect(lines.join('\n')).toMatch(/^tunnelvision loadgen: --clients: expected a whole number.*\n\nRun "tunnelvision loadgen --help"/);
  });
});
