import type { AlertNotificationBody } from '../../src/api-types.js';

/** A firing notification as the evaluator builds it; override what a test cares about. */
export function notificationBody(overrides: { key?: string; fingerprint?: string; status?: 'firing' | 'resolved'; repeat?: number } = {}): AlertNotificationBody {
  const fingerprint = overrides.fingerprint ?? '3f2a9c1d5e6b7a80';
  const status = overrides.status ?? 'firing';
  const id = `${fingerprint}-1767225600000`;
  return {
    version: 1,
    status,
    repeat: overrides.repeat ?? 0,
    idempotency_key: overrides.key ?? `${id}:${status}:${overrides.repeat ?? 0}`,
    text: 'Reconnect storm on chat (production, gw-1:443): 412 reconnects in the last 5m (alert when > 100), since 00:00:00 UTC.',
    alert: {
      id,
      fingerprint,
      rule_id: 'reconnect-storm',
      rule_name: 'Reconnect storm',
      kind: 'threshold',
      severity: 'page',
      state: status === 'resolved' ? 'resolved' : 'firing',
      labels: { service: 'chat', environment: 'production', server: 'gw-1:443' },
      summary: 'Reconnect storm on chat (production, gw-1:443): 412 reconnects in the last 5m (alert when > 100)',
      value: 412,
      threshold: 100,
      baseline: null,
      unit: '{reconnects}',
      active_at: '2026-01-01T00:00:00.000Z',
      fired_at: '2026-01-01T00:00:30.000Z',
      resolved_at: status === 'resolved' ? '2026-01-01T00:12:00.000Z' : null,
      updated_at: '2026-01-01T00:00:30.000Z',
      silenced_by: [],
      deploy: { id: 'd1', version: 'v2.4.1', commit: '9f8e7d6c5b4a39281706', environment: 'production', time: '2025-12-31T23:56:00.000Z', minutes_before_onset: 4 },
      dashboard_url: 'http://127.0.0.1:3000/?range=custom&from=2025-12-31T23%3A45%3A00.000Z&service=chat',
      runbook: 'https://runbooks.example.com/reconnect-storm',
    },
    tenant: 'default',
    sent_by: 'collector-a',
  };
}
