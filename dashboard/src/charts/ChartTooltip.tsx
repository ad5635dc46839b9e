'use client';

import { formatDateTime, formatClock } from '@/shared/format';
import type { SeriesSpec } from './chart-row';

interface TooltipEntry {
  dataKey?: unknown;
  value?: unknown;
}

/** The hover tooltip of a time chart: the bucket's time and each series' value with its unit. */
export function ChartTooltip({
  active,
  payload,
  bucketStart,
  series,
  formatValue,
  stepSeconds,
}: {
  active?: boolean;
  payload?: readonly TooltipEntry[];
  /** Start of the hovered bucket, epoch ms. */
  bucketStart?: number;
  series: readonly SeriesSpec[];
  formatValue: (value: number | null) => string;
  stepSeconds: number;
}) {
  if (!active || !payload || payload.length === 0 || bucketStart === undefined) return null;
  const end = bucketStart + stepSeconds * 1000;
  return (
    <div className="tv-chart-tooltip">
      <p className="tv-chart-tooltip-time">
        {formatDateTime(bucketStart)}–{formatClock(end)}
      </p>
      <ul>
        {series.map((s) => {
          const entry = payload.find((p) => p.dataKey === s.key);
          const value = typeof entry?.value === 'number' ? entry.value : null;
          return (
            <li key={s.key}>
              <span className="tv-swatch" style={{ background: s.color }} aria-hidden="true" />
              {s.label}: <strong>{formatValue(value)}</strong>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
