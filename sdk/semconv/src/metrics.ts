/** Metric names and units of the conventions, see docs/semconv.md. */
export interface MetricConvention {
  readonly name: string;
  readonly instrument: 'counter' | 'updowncounter' | 'histogram' | 'gauge';
  readonly unit: string;
  readonly description: string;
}

export const METRIC_CONNECTIONS_ACTIVE: MetricConvention = {
  name: 'tv.connection.active',
  instrument: 'updowncounter',
  unit: '{connection}',
  description: 'Connections currently open.',
};
export const METRIC_RECONNECTS: MetricConvention = {
  name: 'tv.connection.reconnects',
  instrument: 'counter',
  unit: '{reconnect}',
  description: 'Successful reconnects, by the close code that ended the previous connection (tv.close.code).',
};
export const METRIC_RECONNECT_DURATION: MetricConvention = {
  name: 'tv.connection.reconnect.duration',
  instrument: 'histogram',
  unit: 'ms',
  description: 'Time from a connection dropping to the next one opening.',
};
export const METRIC_DELIVERY_LATENCY: MetricConvention = {
  name: 'tv.message.delivery.latency',
  instrument: 'histogram',
  unit: 'ms',
  description: 'Time from a message first being sent to its acknowledgement.',
};
export const METRIC_HEARTBEAT_RTT: MetricConvention = {
  name: 'tv.heartbeat.rtt',
  instrument: 'histogram',
  unit: 'ms',
  description: 'Round-trip time of heartbeat ping/pong.',
};
export const METRIC_QUEUE_DEPTH: MetricConvention = {
  name: 'tv.queue.depth',
  instrument: 'gauge',
  unit: '{message}',
  description: 'Messages waiting in the offline queue.',
};
export const METRIC_MESSAGES_LOST: MetricConvention = {
  name: 'tv.message.lost',
  instrument: 'counter',
  unit: '{message}',
  description: 'Messages dropped without delivery, by tv.message.drop_reason.',
};
export const METRIC_CONNECTION_STATE: MetricConvention = {
  name: 'tv.connection.state',
  instrument: 'updowncounter',
  unit: '{connection}',
  description:
    "Connections in each state of the client's state machine (tv.state); the collector's connection reliability is open over all of them, sampled at each export.",
};

export const METRICS: readonly MetricConvention[] = [
  METRIC_CONNECTIONS_ACTIVE,
  METRIC_RECONNECTS,
  METRIC_RECONNECT_DURATION,
  METRIC_DELIVERY_LATENCY,
  METRIC_HEARTBEAT_RTT,
  METRIC_QUEUE_DEPTH,
  METRIC_MESSAGES_LOST,
  METRIC_CONNECTION_STATE,
];
