'use client';

import { CHART_COLORS } from '@/charts/chart-colors';
import type { ChartRow } from '@/charts/chart-row';
import { TimeSeriesChart } from '@/charts/TimeSeriesChart';
import { formatClock, formatDateTime, formatPerMinute } from '@/shared/format';
import { bucketWords, type OverviewChartProps } from './chart-props';
import { median, spikeThreshold } from './find-spikes';
import { ROW_KEYS } from './overview-data';

/** Reconnects per minute, with spikes (≥ 3× the typical rate and ≥ 5/min) drawn in red and called out. */
export function ReconnectsChart({ data, syncId }: OverviewChartProps) {
  const key = ROW_KEYS.reconnectsPerMinute;
  const values = data.rows.map((r) => r[key] ?? null);
  const threshold = spikeThreshold(values);
  const typical = median(values);
  const spikes = data.rows.filter((r) => (r[key] ?? 0) >= threshold);
  const peak = spikes.reduce<ChartRow | undefined>((best, r) => (!best || (r[key] ?? 0) > (best[key] ?? 0) ? r : best), undefined);
  const headline = peak ? (
    <p className="tv-callout tv-callout-alert" data-spike-count={spikes.length}>
      <strong>Reconnect spike:</strong> {formatPerMinute(peak[key])} at {formatClock(peak.t)}
      {spikes.length > 1 ? ` (${spikes.length} spiking buckets)` : ''}; typically {formatPerMinute(typical ?? 0)}.
    </p>
  ) : (
    <p className="tv-callout" data-spike-count={0}>
      No spikes: peak {formatPerMinute(data.totals.peakReconnectsPerMinute)}.
    </p>
  );
  return (
    <TimeSeriesChart
      id="reconnects"
      title="Reconnects per minute"
      description={`Connections re-opened after a drop, averaged over ${bucketWords(data.stepSeconds)} buckets.`}
      data={data.rows}
      series={[{ key, label: 'Reconnects', color: CHART_COLORS.blue }]}
      from={data.from}
      to={data.to}
      stepSeconds={data.stepSeconds}
      deploys={data.deploys}
      alertPeriods={data.alertPeriods['reconnects']}
      formatValue={formatPerMinute}
      isHighlighted={(row) => (row[key] ?? 0) >= threshold}
      headline={headline}
      summary={
        peak
          ? `Reconnects peaked at ${formatPerMinute(peak[key])} at ${formatDateTime(peak.t)}.`
          : `No reconnect spikes; peak ${formatPerMinute(data.totals.peakReconnectsPerMinute)}.`
      }
      syncId={syncId}
    />
  );
}
