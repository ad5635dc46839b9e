import { ABNORMAL_CLOSE_CODES } from '@tunnelvision/semconv';

/**
 * Which events count toward each counted signal, as SQL conditions over the
 * columns the event rollups share (events_1m and events_10s: EventName,
 * CloseCode, IsReconnect, FailedAttempt). One definition serves the series
 * API, alert rules and their baselines, so a chart and an alert never count
 * differently.
 */
export const EVENT_CONDITIONS = {
  reconnects: `EventName = 'conn.open' AND IsReconnect = 1`,
  reconnect_attempts: `EventName = 'conn.reconnect.scheduled'`,
  // The conventions define which codes are abnormal; the SDK's WARN level and the close-code breakdown use the same list.
  abnormal_closes: `EventName = 'conn.close' AND CloseCode IN (${ABNORMAL_CLOSE_CODES.join(', ')}) AND FailedAttempt = 0`,
  closes: `EventName = 'conn.close' AND FailedAttempt = 0`,
  failed_attempts: `EventName = 'conn.close' AND FailedAttempt = 1`,
  connects: `EventName = 'conn.open'`,
  messages_sent: `EventName = 'msg.sent'`,
  messages_lost: `EventName = 'msg.dropped'`,
  heartbeat_timeouts: `EventName = 'conn.heartbeat.missed'`,
} as const;

export type CountedSignal = keyof typeof EVENT_CONDITIONS;

/**
 * The burn_rate objectives counted from the 10-second event rollups, as bad
 * and total conditions. connect_success is the complement of the
 * connect_success_ratio of docs/objectives.md, which the reliability
 * rollups count the same way (migration 0007).
 */
export const OBJECTIVE_COUNTS = {
  connect_success: { bad: EVENT_CONDITIONS.failed_attempts, total: `(${EVENT_CONDITIONS.connects} OR ${EVENT_CONDITIONS.failed_attempts})` },
  message_loss: { bad: EVENT_CONDITIONS.messages_lost, total: EVENT_CONDITIONS.messages_sent },
} as const;
