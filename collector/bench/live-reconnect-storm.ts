/**
 * A reconnect storm played out in real time, as a gateway crash looks from
 * its clients: every client sees its connection drop (conn.close 1006) and
 * schedules a reconnect (conn.reconnect.scheduled), then reconnects after a
 * jittered delay (conn.open with tv.connection.downtime_ms). Each client is
 * its own app: its own LoggerProvider, BatchLogRecordProcessor (default 1 s
 * scheduled delay) and OTLPLogExporter, so records reach the collector on
 * the SDK's own schedule, not all at once. Nothing is back-dated: each record
 * carries the time it was emitted.
 */
import { randomUUID } from 'node:crypto';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import type { FleetIdentity } from '../test/support/reconnect-storm.js';

/** Options of {@link startLiveReconnectStorm}. */
export interface LiveStormOptions {
  /** Base URL of the collector (OTLP/HTTP at `/v1/logs`). */
  collectorUrl: string;
  fleet: FleetIdentity;
  /** Clients connected to the gateway that crashes. */
  clients: number;
  /** Reconnects spread uniformly over this long after the crash (full jitter). */
  jitterMillis: number;
  /** The shortest reconnect delay, before jitter. */
  minDelayMillis: number;
  /** Uniform random numbers in [0, 1), for the jitter. */
  random: () => number;
}

/** A storm under way. */
export interface LiveStorm {
  /** When the gateway dropped its clients (epoch ms). */
  readonly crashedAt: number;
  /** Resolves with the epoch ms the first conn.open was emitted: the storm's onset. */
  readonly onset: Promise<number>;
  /** Resolves once every client has reconnected (emitted its conn.open). */
  readonly reconnected: Promise<void>;
  /** Flushes and shuts down every client's SDK. */
  shutdown(): Promise<void>;
}

/** Crashes the gateway now and reconnects its clients in real time. */
export function startLiveReconnectStorm(options: LiveStormOptions): LiveStorm {
  const { fleet } = options;
  const providers: LoggerProvider[] = [];
  const crashedAt = Date.now();
  const clients = Array.from({ length: options.clients }, (_, i) => {
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({
        'service.name': fleet.service,
        'service.version': '2.15.0',
        'deployment.environment.name': fleet.environment,
        'service.instance.id': `${fleet.service}-client-${i}`,
      }),
      processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${options.collectorUrl}/v1/logs` }) })],
    });
    providers.push(provider);
    const delay = options.minDelayMillis + Math.floor(options.random() * options.jitterMillis);
    return { logger: provider.getLogger('@tunnelvision/sdk', '0.1.0'), sessionId: randomUUID(), connectionId: randomUUID(), delay };
  });

  for (const c of clients) {
    const attributes = { 'session.id': c.sessionId, 'tv.connection.id': c.connectionId, 'server.address': fleet.server };
    c.logger.emit({ timestamp: crashedAt, eventName: 'conn.close', attributes: { ...attributes, 'tv.close.code': 1006, 'tv.close.clean': false, 'tv.connection.duration_ms': 600_000 } });
    c.logger.emit({ timestamp: crashedAt, eventName: 'conn.reconnect.scheduled', attributes: { ...attributes, 'tv.reconnect.attempt': 1, 'tv.reconnect.delay_ms': c.delay } });
  }

  // Reconnect each client at its own time; a timer per due time keeps the
  // emission in real time without a busy loop.
  let markOnset!: (at: number) => void;
  const onset = new Promise<number>((resolve) => (markOnset = resolve));
  const order = [...clients].sort((a, b) => a.delay - b.delay);
  const reconnected = (async () => {
    let first = true;
    for (const c of order) {
      const wait = crashedAt + c.delay - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const now = Date.now();
      c.logger.emit({
        timestamp: now,
        eventName: 'conn.open',
        attributes: {
          'session.id': c.sessionId,
          'tv.connection.id': randomUUID(),
          'server.address': fleet.server,
          'tv.connection.attempt': 1,
          'tv.connection.downtime_ms': now - crashedAt,
        },
      });
      if (first) {
        first = false;
        markOnset(now);
      }
    }
  })();

  return {
    crashedAt,
    onset,
    reconnected,
    shutdown: async () => {
      await Promise.all(providers.map((p) => p.shutdown()));
    },
  };
}
