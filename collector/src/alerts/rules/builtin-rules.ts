import { ABNORMAL_CLOSE_CODES } from '@tunnelvision/semconv';

/**
 * Rules every collector evaluates with no configuration (docs/alerts.md has
 * a runbook entry for each). ALERT_RULES_FILE or the API can change any
 * field by id, or switch one off with `enabled: false`.
 */
export const BUILTIN_RULES: readonly Record<string, unknown>[] = [
  {
    id: 'reconnect-storm',
    name: 'Reconnect storm',
    kind: 'anomaly',
    signal: 'reconnects',
    window: '1m',
    description: 'Reconnects far above what is usual for this time of day and week (robust score against the same time on previous days and weeks).',
    min_volume: 30,
    // A storm is over in minutes: page at the first evaluation that sees it.
    // The robust score and the volume guard are what keep it quiet.
    for: '0s',
    keep_firing_for: '2m',
    severity: 'page',
    runbook: 'docs/alerts.md#reconnect-storm',
  },
  {
    id: 'delivery-latency-slo',
    name: 'Delivery latency objective',
    kind: 'burn_rate',
    objective: 'delivery_latency',
    target: 0.99,
    latency_threshold_ms: 1_000,
    description: '99 % of messages acknowledged within 1 s, burning error budget too fast (14.4x over 1 h and 5 m pages; 6x over 6 h and 30 m opens a ticket).',
    severity: 'page',
    runbook: 'docs/alerts.md#delivery-latency-slo',
  },
  {
    id: 'abnormal-close-surge',
    name: 'Abnormal closes surge',
    kind: 'anomaly',
    signal: 'abnormal_closes',
    window: '1m',
    description: `Connections ending abnormally (close code ${ABNORMAL_CLOSE_CODES.join(', ')}) far above what is usual for this time.`,
    min_volume: 20,
    for: '20s',
    keep_firing_for: '2m',
    severity: 'page',
    runbook: 'docs/alerts.md#abnormal-close-surge',
  },
  {
    id: 'message-loss-slo',
    name: 'Message loss objective',
    kind: 'burn_rate',
    objective: 'message_loss',
    target: 0.999,
    description: '99.9 % of sent messages delivered (not dropped), burning error budget too fast.',
    severity: 'page',
    runbook: 'docs/alerts.md#message-loss-slo',
  },
  {
    id: 'heartbeat-timeouts',
    name: 'Heartbeat timeouts (half-open connections)',
    kind: 'anomaly',
    signal: 'heartbeat_timeouts',
    window: '1m',
    description: 'Heartbeats going unanswered far more than usual: connections that look open but carry nothing.',
    min_volume: 20,
    for: '20s',
    keep_firing_for: '2m',
    severity: 'page',
    runbook: 'docs/alerts.md#heartbeat-timeouts',
  },
];
