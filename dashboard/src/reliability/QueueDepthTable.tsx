'use client';

import type { CohortComparisonResponse, QueueDepthValue } from '@/collector-api/types';
import { formatCount } from '@/shared/format';

/** The offline queue depth both cohorts reported: how far messages piled up while disconnected. */
export function QueueDepthTable({ comparison }: { comparison: CohortComparisonResponse }) {
  const rows: { side: 'a' | 'b'; label: string; depth: QueueDepthValue }[] = [
    { side: 'a', label: comparison.a.label, depth: comparison.queue_depth.a },
    { side: 'b', label: comparison.b.label, depth: comparison.queue_depth.b },
  ];
  return (
    <div className="tv-table-wrap" tabIndex={0} role="region" aria-labelledby="queue-depth-title">
      <table className="tv-table tv-queue-table">
        <caption id="queue-depth-title">Offline queue depth (messages waiting while disconnected)</caption>
        <thead>
          <tr>
            <th scope="col">Cohort</th>
            <th scope="col" className="tv-num">
              p95
            </th>
            <th scope="col" className="tv-num">
              Max
            </th>
            <th scope="col" className="tv-num">
              Reports
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ side, label, depth }) => (
            <tr key={side} data-cohort={side}>
              <th scope="row">
                {side.toUpperCase()}: {label}
              </th>
              <td className="tv-num" data-queue="p95">
                {formatCount(depth.p95)}
              </td>
              <td className="tv-num" data-queue="max">
                {formatCount(depth.max)}
              </td>
              <td className="tv-num">{formatCount(depth.samples)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
