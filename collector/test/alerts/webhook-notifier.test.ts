import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { WebhookNotifier, type WebhookNotifierOptions } from '../../src/alerts/notify/webhook-notifier.js';
import { signWebhookBody, verifyWebhookSignature } from '../../src/alerts/notify/webhook-signature.js';
import { notificationBody } from './notification-fixture.js';
import { startReceiver, type Reply, type TestReceiver } from './scripted-receiver.js';

const SECRET = 'test-secret-0123456789abcdef';

interface LogEntry {
  level: string;
  message: string;
  fields?: Record<string, unknown>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function receiver(reply: (index: number, key: string) => Reply | Promise<Reply>): Promise<TestReceiver> {
  const r = await startReceiver((req, index) => reply(index, String(req.headers['idempotency-key'])));
  cleanups.push(() => r.close());
  return r;
}

/** A notifier with tiny backoffs; closed after the test. */
function notifier(url: string, overrides: Partial<WebhookNotifierOptions> = {}) {
  const logs: LogEntry[] = [];
  const n = new WebhookNotifier({
    url,
    secret: SECRET,
    format: 'generic',
    timeoutMillis: 1_000,
    initialBackoffMillis: 20,
    maxBackoffMillis: 200,
    random: () => 1,
    log: (level, message, fields) => logs.push({ level, message, fields }),
    ...overrides,
  });
  cleanups.push(() => n.close(0));
  return { n, logs };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const keyOf = (r: { headers: Record<string, unknown> }) => r.headers['idempotency-key'];

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('WebhookNotifier', () => {
  it('POSTs the body as JSON with a signature that verifies with the secret and fails with another', async () => {
    const r = await receiver(() => ({ status: 204 }));
    const { n } = notifier(r.url);
    const body = notificationBody();
    n.send(body);
    await expect.poll(() => n.stats().delivered).toBe(1);

    const [req] = r.requests;
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['user-agent']).toBe('TunnelVision-collector');
    expect(req!.headers['idempotency-key']).toBe(body.idempotency_key);
    expect(JSON.parse(req!.body.toString('utf8'))).toEqual(body);
    const signature = req!.headers['x-tunnelvision-signature'];
    expect(signature).toBe(signWebhookBody(req!.body, SECRET));
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(req!.body, signature, SECRET)).toBe(true);
    expect(verifyWebhookSignature(req!.body, signature, 'another-secret-0123456789')).toBe(false);
    expect(verifyWebhookSignature(Buffer.from(req!.body.toString().replace('412', '413')), signature, SECRET)).toBe(false);
    expect(n.stats()).toEqual({ queued: 0, inFlight: 0, delivered: 1, failedAttempts: 0, gaveUp: 0, dropped: 0, lastError: null });
  });

  it('sends no signature header when no secret is set', async () => {
    const r = await receiver(() => ({ status: 200 }));
    const { n } = notifier(r.url, { secret: undefined });
    n.send(notificationBody());
    await expect.poll(() => n.stats().delivered).toBe(1);
    expect(r.requests[0]!.headers['x-tunnelvision-signature']).toBeUndefined();
    expect(r.requests[0]!.headers['idempotency-key']).toBeDefined();
  });

  it('retries 500s with the same Idempotency-Key, bytes and signature: a deduplicating receiver acts once in 4 requests', async () => {
    const acted = new Set<string>();
    let effects = 0;
    // The receiver does the work, then fails to answer 200 three times (a crash after commit, say).
    const r = await receiver((index, key) => {
      if (!acted.has(key)) {
        acted.add(key);
        effects += 1;
      }
      return { status: index < 3 ? 500 : 200 };
    });
    const { n } = notifier(r.url);
    n.send(notificationBody());
    await expect.poll(() => n.stats().delivered).toBe(1);
    await sleep(100);

    expect(r.requests).toHaveLength(4);
    expect(effects).toBe(1);
    expect(new Set(r.requests.map(keyOf)).size).toBe(1);
    expect(new Set(r.requests.map((q) => q.body.toString('hex'))).size).toBe(1);
    expect(new Set(r.requests.map((q) => q.headers['x-tunnelvision-signature'])).size).toBe(1);
    expect(n.stats()).toMatchObject({ delivered: 1, failedAttempts: 3, gaveUp: 0, queued: 0, lastError: 'HTTP 500' });
  });

  it('honours Retry-After on 429 as the least wait', async () => {
    const r = await receiver((index) => (index === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 }));
    const { n, logs } = notifier(r.url, { maxBackoffMillis: 5_000 });
    n.send(notificationBody());
    await expect.poll(() => n.stats().delivered, { timeout: 3_000 }).toBe(1);
    expect(r.requests).toHaveLength(2);
    expect(r.requests[1]!.at - r.requests[0]!.at).toBeGreaterThanOrEqual(990);
    expect(logs.find((l) => l.level === 'warn')?.fields).toMatchObject({ retryInMillis: 1_000, attempt: 1 });
  });

  it('caps a Retry-After longer than maxBackoffMillis', async () => {
    const r = await receiver((index) => (index === 0 ? { status: 503, headers: { 'retry-after': '3600' } } : { status: 200 }));
    const { n } = notifier(r.url, { maxBackoffMillis: 150 });
    n.send(notificationBody());
    await expect.poll(() => n.stats().delivered).toBe(1);
    expect(r.requests[1]!.at - r.requests[0]!.at).toBeLessThan(900);
  });

  it('does not retry a 400; logs an error with the status and the first 200 characters of the response', async () => {
    const answer = `invalid_payload: ${'x'.repeat(400)}`;
    const r = await receiver(() => ({ status: 400, body: answer }));
    const { n, logs } = notifier(r.url);
    n.send(notificationBody());
    await expect.poll(() => n.stats().gaveUp).toBe(1);
    await sleep(150); // several backoff periods: a retry would have happened by now

    expect(r.requests).toHaveLength(1);
    expect(n.stats()).toMatchObject({ delivered: 0, failedAttempts: 0, gaveUp: 1, queued: 0 });
    const error = logs.find((l) => l.level === 'error');
    expect(error?.fields).toMatchObject({ status: 400, attempts: 1 });
    expect(error?.message).toContain(`HTTP 400: ${answer.slice(0, 200)}`);
    expect(error?.message).not.toContain(answer.slice(0, 201));
  });

  it('times out each attempt when the receiver accepts but never answers, without ever blocking the caller', async () => {
    const r = await receiver(() => 'hang');
    const { n } = notifier(r.url, { timeoutMillis: 150, maxAttempts: 2 });

    const started = performance.now();
    for (let i = 0; i < 50; i++) n.send(notificationBody({ key: `k-${i}` }));
    expect(performance.now() - started).toBeLessThan(50);
    expect(n.stats()).toMatchObject({ inFlight: 1, queued: 49 });

    // Other work on the event loop goes on while the attempt hangs.
    const timerStarted = performance.now();
    await sleep(10);
    expect(performance.now() - timerStarted).toBeLessThan(100);
    expect(n.stats().inFlight).toBe(1);

    await expect.poll(() => r.requests.length, { timeout: 2_000 }).toBe(2);
    expect(r.requests[1]!.at - r.requests[0]!.at).toBeGreaterThanOrEqual(150);
    expect(keyOf(r.requests[1]!)).toBe('k-0');
    await expect.poll(() => n.stats().gaveUp).toBe(1);
    expect(n.stats().lastError).toMatch(/no response within 150 ms/);
  });

  it('drops the oldest waiting notification when the queue is full', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const r = await receiver(async (index) => {
      if (index === 0) await gate;
      return { status: 200 };
    });
    const { n, logs } = notifier(r.url, { maxQueued: 2 });
    n.send(notificationBody({ key: 'n1' }));
    await expect.poll(() => r.requests.length).toBe(1);
    for (const key of ['n2', 'n3', 'n4']) n.send(notificationBody({ key }));

    expect(n.stats()).toMatchObject({ inFlight: 1, queued: 2, dropped: 1 });
    expect(logs.find((l) => l.level === 'warn')?.fields).toMatchObject({ idempotencyKey: 'n2' });
    release();
    await expect.poll(() => n.stats().delivered).toBe(3);
    expect(r.requests.map(keyOf)).toEqual(['n1', 'n3', 'n4']);
  });

  it('delivers first in first out: the head waits out its backoff and nothing overtakes it', async () => {
    const answered: string[] = [];
    const r = await receiver((index, key) => {
      const status = index < 2 ? 500 : 200;
      answered.push(`${key} ${status}`);
      return { status };
    });
    const { n } = notifier(r.url, { initialBackoffMillis: 60 });
    n.send(notificationBody({ key: 'a-page', fingerprint: 'alert-a' }));
    n.send(notificationBody({ key: 'b-page', fingerprint: 'alert-b' }));
    n.send(notificationBody({ key: 'a-resolve', fingerprint: 'alert-a', status: 'resolved' }));
    await expect.poll(() => n.stats().delivered).toBe(3);

    expect(answered).toEqual(['a-page 500', 'a-page 500', 'a-page 200', 'b-page 200', 'a-resolve 200']);
    // backoff ceilings 60 then 120 ms (random() = 1)
    expect(r.requests[1]!.at - r.requests[0]!.at).toBeGreaterThanOrEqual(55);
    expect(r.requests[2]!.at - r.requests[1]!.at).toBeGreaterThanOrEqual(115);
  });

  it('moves on to the next notification after giving up on the head', async () => {
    const r = await receiver((_index, key) => ({ status: key === 'poison' ? 422 : 200 }));
    const { n } = notifier(r.url);
    n.send(notificationBody({ key: 'poison' }));
    n.send(notificationBody({ key: 'next' }));
    await expect.poll(() => n.stats().delivered).toBe(1);
    expect(r.requests.map(keyOf)).toEqual(['poison', 'next']);
    expect(n.stats()).toMatchObject({ gaveUp: 1, lastError: 'HTTP 422' });
  });

  it('gives up on a notification that would be older than maxAgeMillis before its next attempt', async () => {
    const r = await receiver(() => ({ status: 500 }));
    // Margins of 150 ms and more, so a busy machine's timer delays cannot change the count.
    const { n, logs } = notifier(r.url, { initialBackoffMillis: 200, maxBackoffMillis: 2_000, maxAgeMillis: 750 });
    n.send(notificationBody());
    await expect.poll(() => n.stats().gaveUp, { timeout: 5_000 }).toBe(1);
    // attempts at 0, 200 and 600 ms; the next (after 800 ms more) would be past 750 ms
    expect(r.requests).toHaveLength(3);
    expect(logs.at(-1)?.message).toMatch(/giving up: HTTP 500; the next attempt would be past maxAgeMillis/);
  });

  it('sends the Slack format with the same signature and Idempotency-Key headers', async () => {
    const r = await receiver(() => ({ status: 200, body: 'ok' }));
    const { n } = notifier(r.url, { format: 'slack' });
    const body = notificationBody();
    n.send(body);
    await expect.poll(() => n.stats().delivered).toBe(1);
    const [req] = r.requests;
    const message = JSON.parse(req!.body.toString('utf8')) as { text: string; blocks: { type: string }[] };
    expect(Object.keys(message).sort()).toEqual(['blocks', 'text']);
    expect(message.text).toContain('Reconnect storm');
    expect(message.blocks.length).toBeGreaterThan(2);
    expect(req!.headers['idempotency-key']).toBe(body.idempotency_key);
    expect(verifyWebhookSignature(req!.body, req!.headers['x-tunnelvision-signature'], SECRET)).toBe(true);
  });

  it('close() resolves promptly with a dead receiver, and later sends are dropped without throwing', async () => {
    const r = await receiver(() => 'hang');
    const { n, logs } = notifier(r.url, { timeoutMillis: 5_000 });
    n.send(notificationBody({ key: 'k1' }));
    n.send(notificationBody({ key: 'k2' }));
    await expect.poll(() => r.requests.length).toBe(1);

    const started = performance.now();
    await n.close(200);
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(190);
    expect(took).toBeLessThan(600);
    expect(n.stats()).toMatchObject({ inFlight: 0, queued: 2, delivered: 0 });
    expect(logs.at(-1)).toMatchObject({ level: 'warn', message: 'alert webhook closed with 2 notification(s) undelivered' });

    expect(() => n.send(notificationBody({ key: 'k3' }))).not.toThrow();
    expect(n.stats().dropped).toBe(1);
  });

  it('close() stops at the first failure when the receiver refuses connections', async () => {
    const { n } = notifier(`http://127.0.0.1:${await closedPort()}/hook`, { initialBackoffMillis: 60_000, maxBackoffMillis: 60_000 });
    n.send(notificationBody({ key: 'k1' }));
    n.send(notificationBody({ key: 'k2' }));
    await expect.poll(() => n.stats().failedAttempts).toBe(1);
    expect(n.stats().lastError).toMatch(/ECONNREFUSED/);
    const started = performance.now();
    await n.close(2_000);
    expect(performance.now() - started).toBeLessThan(500);
    // k1 once more at close, which fails, so k2 is not tried against a dead receiver
    expect(n.stats()).toMatchObject({ failedAttempts: 2, queued: 2, inFlight: 0 });
  });

  it('close() sends the queued notifications once more, in order, ignoring the backoff', async () => {
    const r = await receiver((index) => ({ status: index === 0 ? 500 : 200 }));
    const { n } = notifier(r.url, { initialBackoffMillis: 60_000, maxBackoffMillis: 60_000 });
    n.send(notificationBody({ key: 'k1' }));
    n.send(notificationBody({ key: 'k2' }));
    await expect.poll(() => n.stats().failedAttempts).toBe(1);
    const started = performance.now();
    await n.close(2_000);
    expect(performance.now() - started).toBeLessThan(500);
    expect(n.stats()).toMatchObject({ delivered: 2, queued: 0 });
    expect(r.requests.map(keyOf)).toEqual(['k1', 'k1', 'k2']);
  });

  it('never throws into the caller: unserialisable body, bad idempotency key, throwing log', async () => {
    const r = await receiver(() => ({ status: 500 }));
    const { n } = notifier(r.url, {
      maxAttempts: 2,
      log: () => {
        throw new Error('log is broken');
      },
    });
    const unserialisable = notificationBody({ key: 'big' });
    (unserialisable.alert as unknown as { value: bigint }).value = 10n;
    expect(() => n.send(unserialisable)).not.toThrow();
    expect(() => n.send(notificationBody({ key: 'has a space\n' }))).not.toThrow();
    expect(n.stats()).toMatchObject({ gaveUp: 2, queued: 0, inFlight: 0 });

    n.send(notificationBody({ key: 'fine' }));
    await expect.poll(() => n.stats().gaveUp).toBe(3);
    expect(r.requests).toHaveLength(2);
  });

  it('rejects explicitly bad options with a ConfigError that does not echo the URL', () => {
    const log = () => undefined;
    const make = (o: Partial<WebhookNotifierOptions>) => () => new WebhookNotifier({ url: 'https://hooks.example.com/x', secret: undefined, format: 'generic', log, ...o });
    expect(make({ url: 'ftp://example.com/T0/secret-token' })).toThrow(ConfigError);
    expect(make({ url: 'ftp://example.com/T0/secret-token' })).not.toThrow(/secret-token/);
    expect(make({ secret: '' })).toThrow(/ALERT_WEBHOOK_SECRET/);
    expect(make({ format: 'teams' as 'slack' })).toThrow(/ALERT_WEBHOOK_FORMAT/);
    expect(make({ maxAttempts: 0 })).toThrow(/maxAttempts must be an integer from 1/);
    expect(make({ initialBackoffMillis: 5_000, maxBackoffMillis: 1_000 })).toThrow(/must not exceed maxBackoffMillis/);
    const warnings: string[] = [];
    expect(() => new WebhookNotifier({ url: 'https://hooks.example.com/x', secret: undefined, format: 'generic', initialBackoffMillis: 90_000, log: (_l, m) => warnings.push(m) })).not.toThrow();
    expect(warnings[0]).toMatch(/exceeds maxBackoffMillis 60000; using 60000/);
  });

  it('does not keep the process alive while a retry waits', async () => {
    const r = await receiver(() => ({ status: 500 }));
    const notifierModule = fileURLToPath(new URL('../../src/alerts/notify/webhook-notifier.ts', import.meta.url));
    const script = `
      import { WebhookNotifier } from ${JSON.stringify(notifierModule)};
      const n = new WebhookNotifier({ url: ${JSON.stringify(r.url)}, secret: 'child-secret-0123456789', format: 'generic',
        initialBackoffMillis: 60000, maxBackoffMillis: 60000, random: () => 1, log: (level, message) => console.log(level, message) });
      n.send(${JSON.stringify(notificationBody())});
    `;
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const killer = setTimeout(() => child.kill(), 10_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearTimeout(killer);

    expect(output).toContain('warn alert webhook attempt failed, retrying in 60000 ms: HTTP 500');
    expect(code).toBe(0);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
