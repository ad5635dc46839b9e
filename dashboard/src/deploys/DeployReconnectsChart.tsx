'use client';

import { CHART_COLORS } from '@/charts/chart-colors';
import { TimeSeriesChart } from '@/charts/TimeSeriesChart';
import type { Deploy } from '@/collector-api/types';
import { formatPerMinute } from '@/shared/format';
import type { DeployReconnects } from './use-deploy-reconnects';

/** Reconnects per minute from one window before a deploy to one after, with the deploy markers in that span. */
export function DeployReconnectsChart({ series, deploy, deploys }: { series: DeployReconnects; deploy: Deploy; deploys: readonly Deploy[] }) {
  const peak = Math.max(0, ...series.rows.map((r) => r.reconnects ?? 0));
  return (
    <TimeSeriesChart
      id="deploy-reconnects"
      title="Reconnects per minute around the deploy"
      description={`${deploy.service} in ${deploy.environment}, one window either side of the deploy.`}
      data={series.rows}
      series={[{ key: 'reconnects', label: 'Reconnects', color: CHART_COLORS.blue }]}
      from={series.from}
      to={series.to}
      stepSeconds={60}
      deploys={deploys}
      formatValue={formatPerMinute}
      isHighlighted={(row) => peak >= 5 && (row.reconnects ?? 0) === peak}
      summary={`Reconnects peaked at ${formatPerMinute(peak)} around the deploy of ${deploy.version}.`}
      height={200}
    />
  );
}
