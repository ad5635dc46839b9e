'use client';

import { CHART_COLORS } from '@/charts/chart-colors';
import { TimeSeriesChart } from '@/charts/TimeSeriesChart';
import { formatCount } from '@/shared/format';
import { bucketWords, type OverviewChartProps } from './chart-props';
import { ROW_KEYS } from './overview-data';

/** Messages given up on (msg.dropped), per bucket. */
export function LostMessagesChart({ data, syncId }: OverviewChartProps) {
  return (
    <TimeSeriesChart
      id="lost-messages"
      title="Lost messages"
      description={`Messages dropped without delivery, per ${bucketWords(data.stepSeconds)} bucket. Look one up by id on the Lookup page.`}
      data={data.rows}
      series={[{ key: ROW_KEYS.lost, label: 'Lost messages', color: CHART_COLORS.orange }]}
      from={data.from}
      to={data.to}
      stepSeconds={data.stepSeconds}
      deploys={data.deploys}
      alertPeriods={data.alertPeriods['lost-messages']}
      formatValue={(v) => formatCount(v)}
      summary={`${formatCount(data.totals.lostMessages)} messages lost in this range.`}
      syncId={syncId}
    />
  );
}
