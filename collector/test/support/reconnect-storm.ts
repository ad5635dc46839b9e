import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';

/** Identity of the simulated fleet. */
export interface FleetIdentity {
  service: string;
  environment: string;
  server: string;
}

/**
 * Sends `clients` reconnects (conn.close 1006, then conn.open with a
 * downtime) spread over `spreadMillis` ending `agoMillis` before now,
 * through the official OTLP/HTTP log exporter: what a gateway crash looks
 * like from the clients.
 */
export async function sendReconnectStorm(collectorUrl: string, fleet: FleetIdentity, clients: number, spreadMillis = 2_000, agoMillis = 0): Promise<void> {
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': fleet.service, 'deployment.environment.name': fleet.environment, 'service.version': 'web-1.0.0' }),
    processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${collectorUrl}/v1/logs` }), maxExportBatchSize: 2_048 })],
  });
  const logger = provider.getLogger('storm-test');
  const now = Date.now() - agoMillis;
  for (let i = 0; i < clients; i++) {
    const at = now - spreadMillis + Math.floor((i / clients) * spreadMillis);
    const attributes = { 'session.id': `s-${i}`, 'server.address': fleet.server };
    logger.emit({ timestamp: at - 500, eventName: 'conn.close', attributes: { ...attributes, 'tv.close.code': 1006, 'tv.connection.duration_ms': 60_000 } });
    logger.emit({ timestamp: at, eventName: 'conn.open', attributes: { ...attributes, 'tv.connection.downtime_ms': 500 } });
  }
  await provider.forceFlush();
  await provider.shutdown();
}
