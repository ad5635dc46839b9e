'use client';

import { CHART_COLORS } from '@/charts/chart-colors';
import { TimeSeriesChart } from '@/charts/TimeSeriesChart';
import { formatCount, formatPercent } from '@/shared/format';
import { bucketWords, type OverviewChartProps } from './chart-props';
import { ROW_KEYS } from './overview-data';

/** Abnormal closes (the codes the collector names) against all closes of open connections, and connection attempts that failed before opening, per bucket. */
export function ClosesChart({ data, syncId }: OverviewChartProps) {
  const { abnormalCloses, closes } = data.totals;
  return (
    <TimeSeriesChart
      id="closes"
      title="Abnormal closes"
      description={`${data.abnormalClosesMeaning} Against all closes and failed attempts (never opened); ${bucketWords(data.stepSeconds)} buckets.`}
      data={data.rows}
      series={[
        { key: ROW_KEYS.abnormal, label: 'Abnormal', color: CHART_COLORS.red },
        { key: ROW_KEYS.closes, label: 'All closes', color: CHART_COLORS.grey, dashed: true },
        { key: ROW_KEYS.failed, label: 'Failed attempts', color: CHART_COLORS.orange, dashed: true },
      ]}
      from={data.from}
      to={data.to}
      stepSeconds={data.stepSeconds}
      deploys={data.deploys}
      alertPeriods={data.alertPeriods['closes']}
      formatValue={(v) => formatCount(v)}
      summary={`${formatCount(abnormalCloses)} abnormal closes out of ${formatCount(closes)} (${formatPercent(closes ? abnormalCloses / closes : null)}); ${formatCount(data.totals.failedAttempts)} failed attempts.`}
      syncId={syncId}
    />
  );
}
