import type { Counter, Gauge, Histogram, Meter, MeterProvider, UpDownCounter } from '@opentelemetry/api';
import {
  METRIC_CONNECTIONS_ACTIVE,
  METRIC_CONNECTION_STATE,
  METRIC_DELIVERY_LATENCY,
  METRIC_HEARTBEAT_RTT,
  METRIC_MESSAGES_LOST,
  METRIC_QUEUE_DEPTH,
  METRIC_RECONNECTS,
  METRIC_RECONNECT_DURATION,
  type MetricConvention,
} from '@tunnelvision/semconv';
import { SEMCONV_SCHEMA_URL } from '@tunnelvision/semconv';
import { SDK_SCOPE_NAME, SDK_VERSION } from './sdk-version.js';

/** Bucket advice: WebSocket deliveries range from a few ms on a LAN to tens of seconds through a reconnect. */
const LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000];
/** Outages range from an instant reconnect to minutes offline. */
const DOWNTIME_BUCKETS_MS = [100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 120000, 300000];
/** Heartbeat round trips: a LAN ping to a badly congested mobile link. */
const RTT_BUCKETS_MS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

/** The instruments of docs/semconv.md#metrics, created from one MeterProvider. */
export interface InstrumentSet {
  readonly active: UpDownCounter;
  readonly state: UpDownCounter;
  readonly reconnects: Counter;
  readonly reconnectDuration: Histogram;
  readonly deliveryLatency: Histogram;
  readonly heartbeatRtt: Histogram;
  readonly lost: Counter;
  /** Undefined when the meter has no synchronous gauge; queue depth is then observed instead. */
  readonly queueDepth: Gauge | undefined;
  /** The meter, for the observable fallback of queueDepth. */
  readonly meter: Meter;
}

/** Creates every instrument, with names, units and kinds from the semconv constants. */
export function createInstrumentSet(provider: MeterProvider): InstrumentSet {
  const meter = provider.getMeter(SDK_SCOPE_NAME, SDK_VERSION, { schemaUrl: SEMCONV_SCHEMA_URL });
  const options = (metric: MetricConvention, buckets?: number[]) => ({
    unit: metric.unit,
    description: metric.description,
    advice: buckets && { explicitBucketBoundaries: buckets },
  });
  // createGauge arrived in @opentelemetry/api 1.9 / sdk-metrics 1.24; an older SDK behind the API may lack it.
  const hasGauge = typeof (meter as Partial<Meter>).createGauge === 'function';
  return {
    meter,
    active: meter.createUpDownCounter(METRIC_CONNECTIONS_ACTIVE.name, options(METRIC_CONNECTIONS_ACTIVE)),
    state: meter.createUpDownCounter(METRIC_CONNECTION_STATE.name, options(METRIC_CONNECTION_STATE)),
    reconnects: meter.createCounter(METRIC_RECONNECTS.name, options(METRIC_RECONNECTS)),
    reconnectDuration: meter.createHistogram(METRIC_RECONNECT_DURATION.name, options(METRIC_RECONNECT_DURATION, DOWNTIME_BUCKETS_MS)),
    deliveryLatency: meter.createHistogram(METRIC_DELIVERY_LATENCY.name, options(METRIC_DELIVERY_LATENCY, LATENCY_BUCKETS_MS)),
    heartbeatRtt: meter.createHistogram(METRIC_HEARTBEAT_RTT.name, options(METRIC_HEARTBEAT_RTT, RTT_BUCKETS_MS)),
    lost: meter.createCounter(METRIC_MESSAGES_LOST.name, options(METRIC_MESSAGES_LOST)),
    queueDepth: hasGauge ? meter.createGauge(METRIC_QUEUE_DEPTH.name, options(METRIC_QUEUE_DEPTH)) : undefined,
  };
}
