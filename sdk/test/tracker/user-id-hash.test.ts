import { createHash } from 'node:crypto';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTracker } from '../../src/tracker/create-tracker.js';
import { createTelemetryHarness, START_MILLIS, type TelemetryHarness } from './telemetry-harness.js';

let t: TelemetryHarness;

beforeEach(() => {
  t = createTelemetryHarness();
});

afterEach(() => t.shutdown());

const sha256Prefix = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);
/** Lets WebCrypto's digest promise settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('user ids', () => {
  it('are sent as given by default', () => {
    const tracker = createTracker({ loggerProvider: t.loggerProvider, meterProvider: t.meterProvider, userId: 'alice' });
    tracker.connection().opening();
    expect(t.events()[0]?.attributes['user.id']).toBe('alice');
  });

  it('are hashed with SHA-256 (32 hex chars), events held until the hash is ready, never sent raw', async () => {
    const tracker = createTracker({ loggerProvider: t.loggerProvider, meterProvider: t.meterProvider, userId: 'alice', hashUserId: true, now: t.clock.now });
    const conn = tracker.connection();
    conn.opening();
    t.clock.advance(3);
    conn.opened();
    // Held (WebCrypto's digest is asynchronous), then emitted in order with their own times, hashed from the first.
    expect(t.events()).toEqual([]);
    await settle();
    expect(t.events().map((e) => [e.name, e.timeMillis - START_MILLIS, e.seq])).toEqual([
      ['conn.opening', 0, 1],
      ['conn.open', 3, 2],
    ]);
    for (const e of t.events()) expect(e.attributes).toMatchObject({ 'user.id': sha256Prefix('alice'), 'tv.user.id_hashed': true });
    // Per-connection user ids (a server tracking many users) are hashed the same way.
    const other = tracker.connection({ userId: 'bob' });
    await settle();
    other.opening();
    expect(t.events()[2]?.attributes['user.id']).toBe(sha256Prefix('bob'));
    tracker.setUserId('carol');
    await settle();
    conn.closed({ code: 1000 });
    expect(t.events()[3]?.attributes['user.id']).toBe(sha256Prefix('carol'));
    expect(JSON.stringify(t.events())).not.toMatch(/alice|bob|carol/);
  });

  it('are hashed synchronously by an app-supplied function, whose failure leaves user.id out', () => {
    const tracker = createTracker({
      loggerProvider: t.loggerProvider,
      meterProvider: t.meterProvider,
      userId: 'alice',
      hashUserId: (id) => {
        if (id === 'boom') throw new Error('bad hasher');
        return `h:${id.length}`;
      },
    });
    const conn = tracker.connection();
    conn.opening();
    expect(t.events()[0]?.attributes['user.id']).toBe('h:5');
    // Not the SDK's SHA-256: a lookup could not offer it.
    expect(t.events()[0]?.attributes).not.toHaveProperty('tv.user.id_hashed');
    tracker.setUserId('boom');
    conn.opened();
    expect(t.events()[1]?.attributes).not.toHaveProperty('user.id');
  });

  it('waits a bounded time for the digest, then emits without user.id and says so through diag', async () => {
    vi.useFakeTimers();
    const warn = vi.fn();
    diag.setLogger({ warn, error: () => {}, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
    const digest = vi.spyOn(globalThis.crypto.subtle, 'digest').mockReturnValue(new Promise(() => {}));
    try {
      const tracker = createTracker({ loggerProvider: t.loggerProvider, meterProvider: t.meterProvider, userId: 'alice', hashUserId: true });
      tracker.connection().opening();
      vi.advanceTimersByTime(999);
      expect(t.events()).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(t.eventNames()).toEqual(['conn.opening']);
      expect(t.events()[0]?.attributes).not.toHaveProperty('user.id');
      expect(JSON.stringify(t.events())).not.toMatch(/alice/);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/not hashed within 1000 ms/));
    } finally {
      digest.mockRestore();
      diag.disable();
      vi.useRealTimers();
    }
  });
});
