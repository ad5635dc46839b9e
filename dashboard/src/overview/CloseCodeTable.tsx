import type { CloseCodesResponse } from '@/collector-api/types';
import { formatCount, formatPercent } from '@/shared/format';

/** How connections ended in the range: each close code in words, its count and share, abnormal ones flagged. */
export function CloseCodeTable({ closeCodes }: { closeCodes: CloseCodesResponse }) {
  return (
    <section className="tv-card" aria-labelledby="close-codes-title" data-section="close-codes">
      <h3 id="close-codes-title" className="tv-chart-title">
        Close codes
      </h3>
      <p className="tv-chart-description">How connections ended in this range, most frequent first.</p>
      {closeCodes.codes.length === 0 ? (
        <p className="tv-muted">No connection closed in this range.</p>
      ) : (
        <div className="tv-table-wrap" tabIndex={0} role="region" aria-labelledby="close-codes-title">
          <table className="tv-table">
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Meaning</th>
                <th scope="col" className="tv-num">
                  Closes
                </th>
                <th scope="col" className="tv-num">
                  Share
                </th>
              </tr>
            </thead>
            <tbody>
              {closeCodes.codes.map((c) => (
                <tr key={c.code} data-code={c.code} className={c.abnormal ? 'tv-row-abnormal' : undefined}>
                  <td>
                    <code>{c.code}</code>
                    {c.abnormal ? <span className="tv-badge tv-badge-bad">abnormal</span> : null}
                  </td>
                  <td>{c.meaning.replace(/^\d+:\s*/, '')}</td>
                  <td className="tv-num">{formatCount(c.count)}</td>
                  <td className="tv-num">
                    <span className="tv-share">
                      <span className="tv-share-bar" style={{ width: `${Math.round(c.share * 100)}%` }} aria-hidden="true" />
                      {formatPercent(c.share)}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={2}>
                  Total
                </th>
                <td className="tv-num">{formatCount(closeCodes.total)}</td>
                <td className="tv-num">100%</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </section>
  );
}
