'use client';

import { CHART_COLORS } from '@/charts/chart-colors';
import { TimeSeriesChart } from '@/charts/TimeSeriesChart';
import { formatCount } from '@/shared/format';
import type { OverviewChartProps } from './chart-props';
import { ROW_KEYS } from './overview-data';

/** Open connections (the tv.connection.active metric summed over reporters); gaps where none reported. */
export function ActiveConnectionsChart({ data, syncId }: OverviewChartProps) {
  const latest = data.totals.latestActive;
  return (
    <TimeSeriesChart
      id="active-connections"
      title="Active connections"
      description="Open connections, summed over every reporting process."
      data={data.rows}
      series={[{ key: ROW_KEYS.active, label: 'Active connections', color: CHART_COLORS.purple }]}
      from={data.from}
      to={data.to}
      stepSeconds={data.stepSeconds}
      deploys={data.deploys}
      alertPeriods={data.alertPeriods['active-connections']}
      formatValue={(v) => formatCount(v)}
      summary={latest ? `${formatCount(latest.value)} connections open at the latest report.` : 'No connection counts reported in this range.'}
      syncId={syncId}
    />
  );
}
