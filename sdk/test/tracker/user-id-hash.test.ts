import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTracker } from '../../src/tracker/create-tracker.js';
import { createTelemetryHarness, type TelemetryHarness } from './telemetry-harness.js';

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

  it('are hashed with SHA-256 (32 hex chars) and left out until the hash is ready, never sent raw', async () => {
    const tracker = createTracker({ loggerProvider: t.loggerProvider, meterProvider: t.meterProvider, userId: 'alice', hashUserId: true });
    const conn = tracker.connection();
    conn.opening();
    expect(t.events()[0]?.attributes).not.toHaveProperty('user.id');
    await settle();
    conn.opened();
    expect(t.events()[1]?.attributes['user.id']).toBe(sha256Prefix('alice'));
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
    tracker.setUserId('boom');
    conn.opened();
    expect(t.events()[1]?.attributes).not.toHaveProperty('user.id');
  });
});
