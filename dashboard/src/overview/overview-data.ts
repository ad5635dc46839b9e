import type { AlertPeriod } from '@/charts/alert-period';
import type { ChartRow } from '@/charts/chart-row';
import type { OverviewChartId } from './overview-alerts';
import type { CloseCodesResponse, Deploy, LabelsResponse, OverviewSeriesMetric, SeriesResponse } from '@/collector-api/types';

/** One of the overview's series (GET /api/v1/overview returns them all for one range, step and filters). */
export type OverviewMetric = OverviewSeriesMetric;

/** Keys of each overview ChartRow. */
export const ROW_KEYS = {
  active: 'active',
  reconnectsPerMinute: 'reconnectsPerMinute',
  p50: 'p50',
  p95: 'p95',
  p99: 'p99',
  abnormal: 'abnormal',
  closes: 'closes',
  failed: 'failed',
  lost: 'lost',
} as const;

const KEY_OF: Record<OverviewMetric, string> = {
  active_connections: ROW_KEYS.active,
  reconnects: 'reconnects',
  latency_p50: ROW_KEYS.p50,
  latency_p95: ROW_KEYS.p95,
  latency_p99: ROW_KEYS.p99,
  abnormal_closes: ROW_KEYS.abnormal,
  closes: ROW_KEYS.closes,
  failed_attempts: ROW_KEYS.failed,
  messages_lost: ROW_KEYS.lost,
};

/** Totals and headline numbers over the whole range. */
export interface OverviewTotals {
  reconnects: number;
  peakReconnectsPerMinute: number;
  abnormalCloses: number;
  closes: number;
  /** Connection attempts that ended before opening. */
  failedAttempts: number;
  lostMessages: number;
  /** Latest non-null active-connection count, with its bucket time. */
  latestActive: { value: number; t: number } | null;
  latestP99: { value: number; t: number } | null;
  worstP99: number | null;
}

/** Everything the overview shows, for one range, step and set of filters. */
export interface OverviewData {
  from: number;
  to: number;
  stepSeconds: number;
  rows: ChartRow[];
  totals: OverviewTotals;
  closeCodes: CloseCodesResponse;
  /** What the abnormal_closes series counts, in the collector's words: it names the close codes, so the dashboard keeps no list of its own. */
  abnormalClosesMeaning: string;
  deploys: Deploy[];
  /** Values each filter can take in the range (unfiltered), for the filter pickers. */
  labels?: LabelsResponse;
  /** False when every series is empty and no connection closed: nothing has been received for this view. */
  hasAnyData: boolean;
  /** Alert periods each chart shades, by chart id (empty when the collector has no alerts to tell). */
  alertPeriods: Partial<Record<OverviewChartId, AlertPeriod[]>>;
}

/** Merges the series (which share buckets) into chart rows and computes the totals. */
export function buildOverviewData(
  series: Record<OverviewMetric, SeriesResponse>,
  closeCodes: CloseCodesResponse,
  deploys: Deploy[],
  range: { from: number; to: number; stepSeconds: number },
): OverviewData {
  const byTime = new Map<number, ChartRow>();
  for (const metric of Object.keys(KEY_OF) as OverviewMetric[]) {
    for (const point of series[metric].points) {
      const t = Date.parse(point.t);
      let row = byTime.get(t);
      if (!row) byTime.set(t, (row = { t }));
      row[KEY_OF[metric]] = point.v;
    }
  }
  const minutesPerBucket = range.stepSeconds / 60;
  const rows = [...byTime.values()].sort((a, b) => a.t - b.t);
  for (const row of rows) {
    const reconnects = row.reconnects;
    row[ROW_KEYS.reconnectsPerMinute] = typeof reconnects === 'number' ? reconnects / minutesPerBucket : null;
  }
  const sum = (key: string) => rows.reduce((n, r) => n + (typeof r[key] === 'number' ? (r[key] as number) : 0), 0);
  const latest = (key: string) => {
    for (let i = rows.length - 1; i >= 0; i--) {
      const value = rows[i]![key];
      if (typeof value === 'number') return { value, t: rows[i]!.t };
    }
    return null;
  };
  const p99s = rows.map((r) => r[ROW_KEYS.p99]).filter((v): v is number => typeof v === 'number');
  const totals: OverviewTotals = {
    reconnects: sum('reconnects'),
    peakReconnectsPerMinute: Math.max(0, ...rows.map((r) => r[ROW_KEYS.reconnectsPerMinute] ?? 0)),
    abnormalCloses: sum(ROW_KEYS.abnormal),
    closes: sum(ROW_KEYS.closes),
    failedAttempts: sum(ROW_KEYS.failed),
    lostMessages: sum(ROW_KEYS.lost),
    latestActive: latest(ROW_KEYS.active),
    latestP99: latest(ROW_KEYS.p99),
    worstP99: p99s.length > 0 ? Math.max(...p99s) : null,
  };
  const hasAnyData =
    totals.reconnects + totals.closes + totals.failedAttempts + totals.lostMessages > 0 ||
    totals.latestActive !== null ||
    p99s.length > 0 ||
    closeCodes.total > 0 ||
    rows.some((r) => typeof r[ROW_KEYS.p50] === 'number');
  const abnormalClosesMeaning = series.abnormal_closes.description;
  return { ...range, rows, totals, closeCodes, abnormalClosesMeaning, deploys, hasAnyData, alertPeriods: {} };
}
