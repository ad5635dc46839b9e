import type { OverviewData } from './overview-data';

/** What every overview chart receives: the merged data and a shared tooltip sync id. */
export interface OverviewChartProps {
  data: OverviewData;
  syncId: string;
}

/** "1 min", "15 min", "2 h": the bucket width in words. */
export function bucketWords(stepSeconds: number): string {
  if (stepSeconds % 3600 === 0) return `${stepSeconds / 3600} h`;
  return `${stepSeconds / 60} min`;
}
