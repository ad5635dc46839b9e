import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import type { AlertHistoryResponse, AlertInstance, AlertsResponse, AlertTransition } from '../../api-types.js';
import { instant, label, parseParams, resolveRange } from '../../query/query-params.js';

/** A state change to store: the alert as it is after the change. */
export interface TransitionRecord {
  alert: AlertInstance;
  from: AlertTransition['from_state'];
  time: number;
}

/** A notification the leader handed to the webhook. */
export interface NotificationRecord {
  key: string;
  alert: AlertInstance;
  status: 'firing' | 'resolved';
  repeat: number;
  time: number;
}

/** What a new leader needs to carry on an active alert without paging again. */
export interface StoredActiveAlert {
  alert: AlertInstance;
  /** Highest `repeat` of a firing notification sent for this episode, null when none was. */
  lastFiringRepeat: number | null;
  lastNotifiedAt: number | null;
}

const listSchema = z.object({
  state: z.enum(['pending', 'firing', 'resolved', 'all']).default('all'),
  from: instant.optional(),
  to: instant.optional(),
  service: label.optional(),
  environment: label.optional(),
  rule: label.optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(200),
});

const historySchema = z.object({
  from: instant.optional(),
  to: instant.optional(),
  fingerprint: label.optional(),
  rule: label.optional(),
  limit: z.coerce.number().int().min(1).max(5_000).default(500),
});

const ms = (iso: string | null) => (iso === null ? null : String(Date.parse(iso)));

/**
 * The evaluator's memory in ClickHouse: every transition (alert_history),
 * each episode as it is now (alert_instances) and the notifications sent
 * (alert_notifications). Any replica answers the API from here, and a new
 * leader picks up where the old one stopped.
 */
export class AlertRepository {
  constructor(
    private readonly client: ClickHouseClient,
    private readonly database: string,
    private readonly replica: string,
  ) {}

  /** Stores transitions and the current snapshot of every alert touched this cycle. */
  async save(transitions: readonly TransitionRecord[], snapshots: readonly AlertInstance[], now: number): Promise<void> {
    const writes: Promise<unknown>[] = [];
    if (transitions.length > 0) {
      writes.push(
        this.client.insert({
          table: `${this.database}.alert_history`,
          format: 'JSONEachRow',
          values: transitions.map(({ alert, from, time }) => ({
            Time: String(time),
            AlertId: alert.id,
            Fingerprint: alert.fingerprint,
            RuleId: alert.rule_id,
            FromState: from,
            ToState: alert.state,
            ActiveAt: ms(alert.active_at),
            Value: alert.value,
            Threshold: alert.threshold,
            Summary: alert.summary,
            Labels: alert.labels,
            Snapshot: JSON.stringify(alert),
            Replica: this.replica,
          })),
        }),
      );
    }
    if (snapshots.length > 0) {
      writes.push(
        this.client.insert({
          table: `${this.database}.alert_instances`,
          format: 'JSONEachRow',
          values: snapshots.map((alert) => ({
            AlertId: alert.id,
            Fingerprint: alert.fingerprint,
            RuleId: alert.rule_id,
            State: alert.state,
            ActiveAt: ms(alert.active_at),
            ResolvedAt: ms(alert.resolved_at),
            UpdatedAt: String(now),
            Labels: alert.labels,
            Snapshot: JSON.stringify(alert),
          })),
        }),
      );
    }
    await Promise.all(writes);
  }

  async recordNotification(n: NotificationRecord): Promise<void> {
    await this.client.insert({
      table: `${this.database}.alert_notifications`,
      format: 'JSONEachRow',
      values: [
        {
          Time: String(n.time),
          IdempotencyKey: n.key,
          AlertId: n.alert.id,
          Fingerprint: n.alert.fingerprint,
          Status: n.status,
          Repeat: n.repeat,
          Replica: this.replica,
        },
      ],
    });
  }

  /** Pending and firing alerts with their notification bookkeeping, for a replica that has just become leader. */
  async loadActive(): Promise<StoredActiveAlert[]> {
    const result = await this.client.query({
      query: `SELECT i.snapshot AS snapshot, n.repeat AS repeat, n.notified AS notified, n.sent AS sent
              FROM (
                SELECT AlertId, argMax(Snapshot, UpdatedAt) AS snapshot, argMax(State, UpdatedAt) AS state
                FROM ${this.database}.alert_instances GROUP BY AlertId HAVING state IN ('pending', 'firing')
              ) AS i
              LEFT JOIN (
                SELECT AlertId, maxIf(Repeat, Status = 'firing') AS repeat, toUnixTimestamp64Milli(max(Time)) AS notified,
                       countIf(Status = 'firing') AS sent
                FROM ${this.database}.alert_notifications GROUP BY AlertId
              ) AS n ON n.AlertId = i.AlertId`,
      format: 'JSONEachRow',
    });
    const rows = await result.json<{ snapshot: string; repeat: number | string; notified: string; sent: number | string }>();
    return rows.map((r) => {
      const sent = Number(r.sent) > 0;
      return {
        alert: JSON.parse(r.snapshot) as AlertInstance,
        lastFiringRepeat: sent ? Number(r.repeat) : null,
        lastNotifiedAt: sent ? Number(r.notified) : null,
      };
    });
  }

  /** GET /api/v1/alerts: episodes overlapping the range (default the last 24 h), active first, then newest onset first. */
  async list(rawParams: unknown, now = Date.now()): Promise<Omit<AlertsResponse, 'evaluated_at'>> {
    const p = parseParams(listSchema, rawParams);
    const { from, to } = resolveRange(p, now, 86_400_000, 400);
    const result = await this.client.query({
      query: `SELECT snapshot FROM (
                SELECT AlertId, argMax(Snapshot, UpdatedAt) AS snapshot, argMax(State, UpdatedAt) AS state,
                       argMax(ResolvedAt, UpdatedAt) AS resolved, min(ActiveAt) AS active,
                       argMax(RuleId, UpdatedAt) AS rule, argMax(Labels, UpdatedAt) AS labels
                FROM ${this.database}.alert_instances
                WHERE ActiveAt < fromUnixTimestamp64Milli({to:Int64})
                GROUP BY AlertId
              )
              WHERE (resolved IS NULL OR resolved >= fromUnixTimestamp64Milli({from:Int64}))
                AND ({state:String} = 'all' OR state = {state:String})
                AND ({service:String} = '' OR labels['service'] = {service:String})
                AND ({environment:String} = '' OR labels['environment'] = {environment:String})
                AND ({rule:String} = '' OR rule = {rule:String})
              ORDER BY state = 'resolved', active DESC
              LIMIT {limit:UInt32}`,
      query_params: { from, to, state: p.state, service: p.service ?? '', environment: p.environment ?? '', rule: p.rule ?? '', limit: p.limit },
      format: 'JSONEachRow',
    });
    const rows = await result.json<{ snapshot: string }>();
    return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), alerts: rows.map((r) => JSON.parse(r.snapshot) as AlertInstance) };
  }

  /** GET /api/v1/alerts/history: transitions in the range, newest first. */
  async history(rawParams: unknown, now = Date.now()): Promise<AlertHistoryResponse> {
    const p = parseParams(historySchema, rawParams);
    const { from, to } = resolveRange(p, now, 86_400_000, 400);
    const result = await this.client.query({
      query: `SELECT toUnixTimestamp64Milli(Time) AS time, AlertId AS alert_id, Fingerprint AS fingerprint, RuleId AS rule_id,
                     FromState AS from_state, ToState AS to_state, Value AS value, Threshold AS threshold, Summary AS summary,
                     Labels AS labels, Replica AS replica
              FROM ${this.database}.alert_history
              WHERE Time >= fromUnixTimestamp64Milli({from:Int64}) AND Time < fromUnixTimestamp64Milli({to:Int64})
                AND ({fingerprint:String} = '' OR Fingerprint = {fingerprint:String})
                AND ({rule:String} = '' OR RuleId = {rule:String})
              ORDER BY Time DESC LIMIT {limit:UInt32}`,
      query_params: { from, to, fingerprint: p.fingerprint ?? '', rule: p.rule ?? '', limit: p.limit + 1 },
      format: 'JSONEachRow',
    });
    const rows = await result.json<Omit<AlertTransition, 'time'> & { time: string }>();
    return {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      transitions: rows.slice(0, p.limit).map((r) => ({ ...r, time: new Date(Number(r.time)).toISOString() })),
      truncated: rows.length > p.limit,
    };
  }

  /** Pending and firing alerts per rule now, for GET /api/v1/alerts/rules. */
  async activeByRule(): Promise<Map<string, { pending: number; firing: number }>> {
    const result = await this.client.query({
      query: `SELECT rule, countIf(state = 'pending') AS pending, countIf(state = 'firing') AS firing FROM (
                SELECT argMax(RuleId, UpdatedAt) AS rule, argMax(State, UpdatedAt) AS state
                FROM ${this.database}.alert_instances GROUP BY AlertId HAVING state IN ('pending', 'firing')
              ) GROUP BY rule`,
      format: 'JSONEachRow',
    });
    const rows = await result.json<{ rule: string; pending: string; firing: string }>();
    return new Map(rows.map((r) => [r.rule, { pending: Number(r.pending), firing: Number(r.firing) }]));
  }
}
