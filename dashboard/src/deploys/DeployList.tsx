'use client';

import Link from 'next/link';
import type { Deploy } from '@/collector-api/types';
import { formatDateTime, shortCommit } from '@/shared/format';

/** Recorded deploys, newest first; each links to its impact. */
export function DeployList({ deploys, selectedId, hrefFor }: { deploys: readonly Deploy[]; selectedId: string | undefined; hrefFor: (id: string) => string }) {
  const newestFirst = [...deploys].reverse();
  return (
    <section className="tv-card" aria-labelledby="deploy-list-title" data-section="deploy-list">
      <h2 id="deploy-list-title">Deploys ({deploys.length})</h2>
      <div className="tv-table-scroll" tabIndex={0} role="region" aria-labelledby="deploy-list-title">
        <table className="tv-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Service</th>
              <th scope="col">Version</th>
              <th scope="col">Environment</th>
              <th scope="col">Commit</th>
              <th scope="col">Description</th>
            </tr>
          </thead>
          <tbody>
            {newestFirst.map((d) => {
              const selected = d.id === selectedId;
              return (
                <tr key={d.id} data-deploy-id={d.id} className={selected ? 'tv-row-selected' : undefined} aria-current={selected ? 'true' : undefined}>
                  <td>
                    <Link href={hrefFor(d.id)} scroll={false}>
                      {formatDateTime(Date.parse(d.time))}
                    </Link>
                  </td>
                  <td>{d.service}</td>
                  <td>
                    <strong>{d.version}</strong>
                  </td>
                  <td>{d.environment}</td>
                  <td>{d.commit ? <code>{shortCommit(d.commit)}</code> : '—'}</td>
                  <td>{d.description || '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
