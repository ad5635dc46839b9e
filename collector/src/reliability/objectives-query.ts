import type { ClickHouseClient } from '@clickhouse/client';
import type { BudgetBurn, ObjectiveStatus, ObjectivesResponse } from '../api-types.js';
import { DEFAULT_DELIVERY, measureBuckets, measureTotal, toMinute, type MeasureBucket } from './measures.js';
import type { Objective } from './objective-definitions.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** How fast the error budget burns: (1 - good / total) / (1 - target); 1 spends it exactly over the window, 0 with nothing counted. */
export function burnRate(good: number, total: number, target: number): number {
  return total === 0 ? 0 : (1 - good / total) / (1 - target);
}

/** The hours that spent the most of a window's budget, worst first. */
function worstHours(hours: readonly MeasureBucket[], budget: number, limit = 5): BudgetBurn[] {
  return hours
    .map((h) => ({ h, bad: h.total - h.good }))
    .filter((x) => x.bad > 0)
    .sort((x, y) => y.bad - x.bad || x.h.bucket - y.h.bucket)
    .slice(0, limit)
    .map(({ h, bad }) => ({
      from: new Date(h.bucket).toISOString(),
      to: new Date(h.bucket + HOUR).toISOString(),
      bad,
      total: h.total,
      budget_share: budget > 0 ? bad / budget : 1,
    }));
}

/** One objective over its trailing window ending now (client side, every service). */
export async function objectiveStatus(client: ClickHouseClient, database: string, o: Objective, now: number): Promise<ObjectiveStatus> {
  const to = toMinute(now);
  // Whole hours, so the window reads hourly rows; the current hour's minutes are added by the edge read.
  const from = Math.floor((to - (o.window === '90d' ? 90 : 30) * DAY) / HOUR) * HOUR;
  const base = { filters: { role: 'client' as const }, cohort: [], to, now, delivery: { ...DEFAULT_DELIVERY, latencyThresholdMillis: o.latencyThresholdMillis } };
  const [whole, lastHour, lastSix, hours] = await Promise.all([
    // Its own query, not the sum of the hours: the same answer as GET /api/v1/reliability for the window.
    measureTotal(client, database, o.measure, { ...base, from }),
    measureTotal(client, database, o.measure, { ...base, from: to - HOUR }),
    measureTotal(client, database, o.measure, { ...base, from: to - 6 * HOUR }),
    measureBuckets(client, database, o.measure, { ...base, from, stepMillis: HOUR }),
  ]);
  const windowBurn = burnRate(whole.good, whole.total, o.target);
  // The budget: how many bad events (or samples) the target allows over the window.
  const budget = whole.total * (1 - o.target);
  return {
    id: o.id,
    name: o.name,
    measure: o.measure,
    target: o.target,
    window: o.window,
    ...(o.measure === 'delivery_success' ? { latency_threshold_ms: o.latencyThresholdMillis } : {}),
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    attainment: whole.value,
    good: whole.good,
    total: whole.total,
    error_budget_remaining: 1 - windowBurn,
    burn_rate: {
      '1h': burnRate(lastHour.good, lastHour.total, o.target),
      '6h': burnRate(lastSix.good, lastSix.total, o.target),
      window: windowBurn,
    },
    worst_hours: worstHours(hours, budget),
  };
}

/** GET /api/v1/objectives: each objective over its trailing window, its error budget and burn rates. */
export async function queryObjectives(client: ClickHouseClient, database: string, objectives: readonly Objective[], now = Date.now()): Promise<ObjectivesResponse> {
  const statuses = await Promise.all(objectives.map((o) => objectiveStatus(client, database, o, now)));
  return { evaluated_at: new Date(now).toISOString(), objectives: statuses };
}
