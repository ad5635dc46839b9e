import type { ClickHouseClient } from '@clickhouse/client';
import type { AlertInstance, AlertRule, AlertSeverity } from '../../api-types.js';
import type { CountedSignal } from '../../query/event-conditions.js';
import { anomalyDecision, chooseBaseline } from '../detect/anomaly-score.js';
import { baselineWindows } from '../detect/baseline-windows.js';
import { parseRuleDuration } from '../rules/rule-duration.js';
import type { FirstSeenCache } from '../signals/first-seen-cache.js';
import {
  groupKey,
  readMinuteCounts,
  readObjectiveWindows,
  readRecentCounts,
  readRecentLatency,
  type BucketRange,
  type GroupHistory,
  type GroupLabels,
} from '../signals/signal-reader.js';
import { formatNumber, objectiveWords, SIGNAL_WORDS } from './signal-words.js';

/** A rule's verdict for one label group at one evaluation. */
export interface Observation {
  labels: GroupLabels;
  holds: boolean;
  value: number | null;
  threshold: number | null;
  baseline: AlertInstance['baseline'];
  unit: string;
  /** The rule's severity, or for burn rate that of the window pair that matched. */
  severity: AlertSeverity;
  /** The condition now, in words: "312 reconnects/min over the last 1m; usual for this time is 4/min (alert at 40/min)". */
  because: string;
}

/** Where observations are read from. */
export interface ObserveContext {
  client: ClickHouseClient;
  database: string;
  /** Kept by the evaluator across cycles; anomaly rules read it. */
  firstSeen: FirstSeenCache;
}

const BUCKET_SECONDS = 10;
const SEVERITY_RANK: Record<AlertSeverity, number> = { info: 0, ticket: 1, page: 2 };

const millis = (duration: string | undefined) => parseRuleDuration(duration ?? '0s')!;

/** The trailing window at 10-second resolution: the buckets that together cover up to `windowMillis` before now, the current one included. */
function trailingBuckets(now: number, windowMillis: number): BucketRange {
  const current = Math.floor(now / 1000 / BUCKET_SECONDS) * BUCKET_SECONDS;
  return { start: current - windowMillis / 1000 + BUCKET_SECONDS, end: current + BUCKET_SECONDS };
}

/**
 * Evaluates one rule for every label group with data, plus the groups in
 * `tracked` (alerts already active), which get an observation even when
 * their data has gone quiet, so they can resolve.
 */
export async function observeRule(ctx: ObserveContext, rule: AlertRule, now: number, tracked: readonly GroupLabels[]): Promise<Observation[]> {
  switch (rule.kind) {
    case 'threshold':
      return observeThreshold(ctx, rule, now, tracked);
    case 'anomaly':
      return observeAnomaly(ctx, rule, now, tracked);
    case 'burn_rate':
      return observeBurnRate(ctx, rule, now, tracked);
  }
}

/** Every group with data, then the tracked groups with none. */
function withTracked<T extends { labels: GroupLabels }>(found: T[], tracked: readonly GroupLabels[], absent: (labels: GroupLabels) => T): T[] {
  const seen = new Set(found.map((f) => groupKey(f.labels)));
  return [...found, ...tracked.filter((labels) => !seen.has(groupKey(labels))).map(absent)];
}

function compare(value: number, op: NonNullable<AlertRule['op']>, limit: number): boolean {
  switch (op) {
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
  }
}

async function observeThreshold(ctx: ObserveContext, rule: AlertRule, now: number, tracked: readonly GroupLabels[]): Promise<Observation[]> {
  const signal = rule.signal!;
  const window = rule.window!;
  const range = trailingBuckets(now, millis(window));
  const scope = { groupBy: rule.group_by, filters: rule.filters };
  const op = rule.op ?? '>';
  const limit = rule.value!;
  const words = SIGNAL_WORDS[signal];
  if (signal.startsWith('latency_')) {
    const quantile = ({ latency_p50: 0.5, latency_p95: 0.95, latency_p99: 0.99 } as const)[signal as 'latency_p50'];
    const found = await readRecentLatency(ctx.client, ctx.database, quantile, range, scope);
    return withTracked<{ labels: GroupLabels; value: number | null }>(found, tracked, (labels) => ({ labels, value: null })).map(({ labels, value }) => ({
      labels,
      holds: value !== null && compare(value, op, limit),
      value: value === null ? null : Math.round(value * 10) / 10,
      threshold: limit,
      baseline: null,
      unit: 'ms',
      severity: rule.severity,
      because:
        value === null
          ? `no messages were acknowledged over the last ${window}`
          : `${words} is ${formatNumber(value)} ms over the last ${window} (alert when ${op} ${formatNumber(limit)} ms)`,
    }));
  }
  const found = await readRecentCounts(ctx.client, ctx.database, signal as CountedSignal, range, scope);
  return withTracked(found, tracked, (labels) => ({ labels, count: 0 })).map(({ labels, count }) => ({
    labels,
    holds: compare(count, op, limit),
    value: count,
    threshold: limit,
    baseline: null,
    unit: `{${signal}}`,
    severity: rule.severity,
    because: `${formatNumber(count)} ${words} in the last ${window} (alert when ${op} ${formatNumber(limit)})`,
  }));
}

async function observeAnomaly(ctx: ObserveContext, rule: AlertRule, now: number, tracked: readonly GroupLabels[]): Promise<Observation[]> {
  const signal = rule.signal as CountedSignal;
  const windowMillis = millis(rule.window);
  const range = trailingBuckets(now, windowMillis);
  const scope = { groupBy: rule.group_by, filters: rule.filters };
  const coveredMinutes = (now - range.start * 1000) / 60_000;
  const found = await readRecentCounts(ctx.client, ctx.database, signal, range, scope);
  const groups = withTracked(found, tracked, (labels) => ({ labels, count: 0 })).map((g) => ({ ...g, rate: g.count / coveredMinutes }));
  const options = { minScore: rule.min_score!, minVolume: rule.min_volume!, minRatio: rule.min_ratio!, windowMinutes: windowMillis / 60_000 };

  // Only groups past the volume guard can be anomalous; only they (and
  // alerts already active, to resolve) need a baseline from history.
  const tracking = new Set(tracked.map(groupKey));
  const candidates = groups.filter((g) => g.rate >= options.minVolume || tracking.has(groupKey(g.labels)));
  const windows = baselineWindows(now, windowMillis, {
    days: rule.baseline_days!,
    weeks: rule.baseline_weeks!,
    neighbourhoodMillis: millis(rule.baseline_neighbourhood),
  });
  const allWindows = [...windows.seasonal, ...windows.recent];
  const minutes =
    candidates.length === 0
      ? new Map<string, GroupHistory>()
      : await readMinuteCounts(
          ctx.client,
          ctx.database,
          signal,
          allWindows.map((w) => ({ start: w.start / 1000, end: w.end / 1000 })),
          scope,
          candidates.map((g) => g.labels),
          ctx.firstSeen,
          now,
        );
  const words = SIGNAL_WORDS[rule.signal!];
  return groups.map(({ labels, rate }) => {
    const history = minutes.get(groupKey(labels));
    const perMinute = history?.minutes ?? new Map<number, number>();
    const windowRate = (w: { start: number; end: number }) => {
      let sum = 0;
      for (let m = w.start; m < w.end; m += 60_000) sum += perMinute.get(m / 1000) ?? 0;
      return sum / ((w.end - w.start) / 60_000);
    };
    // History from before the group's first event is missing, not quiet: leave it out.
    const firstSeen = (history?.firstSeenSeconds ?? Infinity) * 1000;
    const seasonal = (list: readonly { start: number; end: number }[]) => list.filter((w) => w.end > firstSeen).map(windowRate);
    const baseline = chooseBaseline({ daily: seasonal(windows.daily), weekly: seasonal(windows.weekly) }, windows.recent.map(windowRate));
    const decision = anomalyDecision(rate, baseline, options);
    const usual =
      baseline.source === 'none'
        ? 'no history yet to compare with'
        : `usual for ${baseline.source === 'seasonal' ? 'this time of day and week' : 'the last hour'} is ${formatNumber(baseline.median)}/min`;
    return {
      labels,
      holds: decision.anomalous,
      value: Math.round(rate * 10) / 10,
      threshold: Math.round(decision.threshold * 10) / 10,
      baseline: { median: baseline.median, mad: baseline.mad, samples: baseline.samples, source: baseline.source },
      unit: `{${signal}}/min`,
      severity: rule.severity,
      because: `${formatNumber(rate)} ${words}/min over the last ${rule.window}; ${usual} (alert at ${formatNumber(decision.threshold)}/min)`,
    };
  });
}

async function observeBurnRate(ctx: ObserveContext, rule: AlertRule, now: number, tracked: readonly GroupLabels[]): Promise<Observation[]> {
  const pairs = rule.windows!;
  const durations = [...new Set(pairs.flatMap((p) => [millis(p.long), millis(p.short)]))];
  const budget = 1 - rule.target!;
  const found = await readObjectiveWindows(
    ctx.client,
    ctx.database,
    rule.objective!,
    rule.latency_threshold_ms,
    Math.floor(now / 1000),
    durations.map((d) => d / 1000),
    { groupBy: rule.group_by, filters: rule.filters },
  );
  const promise = objectiveWords(rule.objective!, rule.target!, rule.latency_threshold_ms);
  const empty = durations.map(() => 0);
  return withTracked(found, tracked, (labels) => ({ labels, bad: empty, total: empty })).map(({ labels, bad, total }) => {
    const burn = (durationMillis: number) => {
      const i = durations.indexOf(durationMillis);
      return total[i]! === 0 ? 0 : bad[i]! / total[i]! / budget;
    };
    const scored = pairs.map((p) => {
      const long = burn(millis(p.long));
      const short = burn(millis(p.short));
      const volume = total[durations.indexOf(millis(p.long))]!;
      return { pair: p, long, short, matched: volume >= rule.min_events! && long >= p.factor && short >= p.factor };
    });
    const matched = scored.filter((s) => s.matched).sort((a, b) => SEVERITY_RANK[b.pair.severity] - SEVERITY_RANK[a.pair.severity]);
    // Report the matched pair, else the one closest to matching.
    const shown = matched[0] ?? [...scored].sort((a, b) => Math.min(b.long, b.short) / b.pair.factor - Math.min(a.long, a.short) / a.pair.factor)[0]!;
    const { pair } = shown;
    return {
      labels,
      holds: matched.length > 0,
      value: Math.round(shown.long * 100) / 100,
      threshold: pair.factor,
      baseline: null,
      unit: 'burn rate',
      severity: matched[0]?.pair.severity ?? rule.severity,
      because:
        `error budget of "${promise}" burning ${formatNumber(shown.long)}x over ${pair.long} and ${formatNumber(shown.short)}x over ${pair.short}` +
        ` (alert when both reach ${pair.factor}x)`,
    };
  });
}
