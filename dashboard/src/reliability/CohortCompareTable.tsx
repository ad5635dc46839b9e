'use client';

import type { CohortComparisonResponse, CohortMeasureComparison, MeasureValue } from '@/collector-api/types';
import { formatCount } from '@/shared/format';
import { formatPoints, formatPValue, formatShare, MEASURE_WORDS } from './reliability-words';

function ValueCell({ row, side }: { row: CohortMeasureComparison; side: 'a' | 'b' }) {
  const value: MeasureValue = row[side];
  const better = row.better === side;
  return (
    <td className={better ? 'tv-better' : undefined} data-cohort={side}>
      <span className="tv-rel-value">{formatShare(value.value, 2)}</span>
      {better ? <span className="tv-visually-hidden"> (better)</span> : null}
      <span className="tv-rel-count">
        {formatCount(value.good)} of {formatCount(value.total)} {MEASURE_WORDS[row.measure].unit}
      </span>
    </td>
  );
}

/** Every measure for both cohorts, the difference, and the collector's verdict with its p-value; the better cohort highlighted where the difference is more than noise. */
export function CohortCompareTable({ comparison, titleId }: { comparison: CohortComparisonResponse; titleId: string }) {
  return (
    <div className="tv-table-wrap" tabIndex={0} role="region" aria-labelledby={titleId}>
      <table className="tv-table tv-cohort-table">
        <thead>
          <tr>
            <th scope="col">Measure</th>
            <th scope="col">A: {comparison.a.label}</th>
            <th scope="col">B: {comparison.b.label}</th>
            <th scope="col">Difference (A − B)</th>
            <th scope="col">Verdict</th>
          </tr>
        </thead>
        <tbody>
          {comparison.measures.map((row) => (
            <tr key={row.measure} data-measure={row.measure} data-better={row.better ?? 'none'}>
              <th scope="row">
                {MEASURE_WORDS[row.measure].name}
                <span className="tv-rel-count">{row.higher_is_better ? 'higher is better' : 'lower is better'}</span>
                {row.caveat ? (
                  <span className="tv-rel-count tv-rel-caveat" data-caveat>
                    {row.caveat}
                  </span>
                ) : null}
              </th>
              <ValueCell row={row} side="a" />
              <ValueCell row={row} side="b" />
              <td className="tv-num" data-difference>
                {formatPoints(row.difference)}
              </td>
              <td data-verdict>
                {row.statement}
                {row.p_value === null ? null : (
                  <span className="tv-rel-count" data-p-value>
                    {formatPValue(row.p_value)}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
