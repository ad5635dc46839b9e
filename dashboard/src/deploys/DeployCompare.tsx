'use client';

import type { DeployImpact } from '@/collector-api/types';
import { IMPACT_ROWS } from './impact-rows';

/** Two deploys' impact side by side, the better value of each comparable row marked. */
export function DeployCompare({ a, b }: { a: DeployImpact; b: DeployImpact }) {
  return (
    <section className="tv-card" aria-labelledby="compare-title" data-section="compare">
      <h2 id="compare-title">
        {a.deploy.version} vs {b.deploy.version}
      </h2>
      <div className="tv-table-wrap" tabIndex={0} role="region" aria-labelledby="compare-title">
        <table className="tv-table tv-compare">
          <thead>
            <tr>
              <th scope="col">Measure</th>
              <th scope="col">{a.deploy.version}</th>
              <th scope="col">{b.deploy.version}</th>
            </tr>
          </thead>
          <tbody>
            {IMPACT_ROWS.map((row) => {
              const sa = row.score?.(a) ?? null;
              const sb = row.score?.(b) ?? null;
              const better = sa === null || sb === null || sa === sb ? null : sa < sb ? 'a' : 'b';
              return (
                <tr key={row.id} data-row={row.id}>
                  <th scope="row">{row.label}</th>
                  <td className={better === 'a' ? 'tv-better' : undefined}>
                    {row.value(a)}
                    {better === 'a' ? <span className="tv-visually-hidden"> (better)</span> : null}
                  </td>
                  <td className={better === 'b' ? 'tv-better' : undefined}>
                    {row.value(b)}
                    {better === 'b' ? <span className="tv-visually-hidden"> (better)</span> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="tv-muted">Each deploy is measured over the same window after it, against the same length before it. Highlighted: the better of the two.</p>
    </section>
  );
}
