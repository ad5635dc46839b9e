'use client';

import { CHART_COLORS } from '@/charts/chart-colors';
import { TimeSeriesChart } from '@/charts/TimeSeriesChart';
import { formatMillis } from '@/shared/format';
import { bucketWords, type OverviewChartProps } from './chart-props';
import { ROW_KEYS } from './overview-data';

/** Delivery latency (first send to ack) at p50, p95 and p99; gaps where nothing was acked. */
export function LatencyChart({ data, syncId }: OverviewChartProps) {
  const { latestP99, worstP99 } = data.totals;
  return (
    <TimeSeriesChart
      id="latency"
      title="Delivery latency"
      description={`Time from a message's first send to its ack, per ${bucketWords(data.stepSeconds)} bucket.`}
      data={data.rows}
      series={[
        { key: ROW_KEYS.p50, label: 'p50', color: CHART_COLORS.green },
        { key: ROW_KEYS.p95, label: 'p95', color: CHART_COLORS.orange, dashed: true },
        { key: ROW_KEYS.p99, label: 'p99', color: CHART_COLORS.red },
      ]}
      from={data.from}
      to={data.to}
      stepSeconds={data.stepSeconds}
      deploys={data.deploys}
      alertPeriods={data.alertPeriods['latency']}
      formatValue={formatMillis}
      summary={
        latestP99
          ? `Latest p99 delivery latency ${formatMillis(latestP99.value)}; worst in range ${formatMillis(worstP99)}.`
          : 'No acknowledged messages in this range.'
      }
      syncId={syncId}
    />
  );
}
