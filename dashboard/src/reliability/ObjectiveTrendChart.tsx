'use client';

import { CHART_COLORS } from '@/charts/chart-colors';
import { TimeSeriesChart } from '@/charts/TimeSeriesChart';
import type { ObjectiveStatus } from '@/collector-api/types';
import { formatDay } from '@/shared/format';
import { formatShare } from './reliability-words';
import type { ObjectiveTrend } from './use-objective-trend';

/** Whole percentages on the axis ("75%"), three decimals for a day's value ("99.950%"). */
const formatValue = (value: number | null) => (value !== null && Number.isInteger(value * 100) ? formatShare(value, 0) : formatShare(value, 3));

/** An objective's measure per day over its window, the days under target highlighted. */
export function ObjectiveTrendChart({ objective, trend }: { objective: ObjectiveStatus; trend: ObjectiveTrend }) {
  const counted = trend.rows.filter((row): row is typeof row & { value: number } => typeof row.value === 'number');
  const worst = counted.reduce<(typeof counted)[number] | undefined>((low, row) => (low === undefined || row.value < low.value ? row : low), undefined);
  const summary = worst
    ? `${objective.name} was counted on ${counted.length} days; the lowest was ${formatValue(worst.value)} on ${formatDay(worst.t)}, against a target of ${formatShare(objective.target, 1)}.`
    : `${objective.name}: nothing counted in the window.`;
  return (
    <TimeSeriesChart
      id={`trend-${objective.id}`}
      title="Per day"
      description={`${objective.name} per UTC day over the window; red: days under the ${formatShare(objective.target, 1)} target.`}
      data={trend.rows}
      series={[{ key: 'value', label: objective.name, color: CHART_COLORS.blue }]}
      from={trend.from}
      to={trend.to}
      stepSeconds={86_400}
      deploys={[]}
      formatValue={formatValue}
      isHighlighted={(row) => typeof row.value === 'number' && row.value < objective.target}
      summary={summary}
      height={180}
    />
  );
}
