'use client';

import { XAxis } from 'recharts';
import { tickLabel, timeTicks } from './time-ticks';

/**
 * The x axis every time chart uses: real time (epoch ms, the `x` of each
 * row) on a linear scale over [from, to], with round clock-time ticks. Sharing it keeps charts
 * aligned with each other and with their deploy markers.
 */
export function TimeAxis({ from, to }: { from: number; to: number }) {
  return (
    <XAxis
      dataKey="x"
      type="number"
      scale="time"
      domain={[from, to]}
      allowDataOverflow
      ticks={timeTicks(from, to)}
      tickFormatter={(value: number) => tickLabel(value, from, to)}
      tick={{ fill: '#3d4555', fontSize: 12 }}
      stroke="#8a93a3"
      minTickGap={24}
    />
  );
}
