import type { Silence } from '@/collector-api/types';
import { formatDateTime } from '@/shared/format';

/** Silences as a table (stacked on phones), with an Expire button per row when `onExpire` is given. */
export function SilenceTable({
  silences,
  expiring,
  onExpire,
}: {
  silences: readonly Silence[];
  expiring: ReadonlySet<string>;
  onExpire?: (id: string) => void;
}) {
  return (
    <div className="tv-table-wrap" tabIndex={0} role="region" aria-label={onExpire ? 'Active and pending silences' : 'Expired silences'}>
      <table className="tv-table tv-silence-table tv-table-stack">
        <thead>
          <tr>
            <th scope="col">Matchers</th>
            <th scope="col">State</th>
            <th scope="col">From</th>
            <th scope="col">Until</th>
            <th scope="col">By</th>
            <th scope="col">Why</th>
            {onExpire ? (
              <th scope="col">
                <span className="tv-visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {silences.map((s) => (
            <tr key={s.id} id={`silence-${s.id}`} data-silence-id={s.id} data-state={s.state}>
              <td data-label="Matchers" className="tv-silence-matchers">
                <ul className="tv-labels">
                  {s.matchers.map((m, i) => (
                    <li key={i}>
                      <code>
                        {m.label}
                        {m.op}
                        {m.value}
                      </code>
                    </li>
                  ))}
                </ul>
              </td>
              <td data-label="State">
                <span className={`tv-badge ${s.state === 'active' ? 'tv-badge-warn' : 'tv-badge-quiet'}`}>{s.state}</span>
              </td>
              <td data-label="From">{formatDateTime(Date.parse(s.starts_at))}</td>
              <td data-label="Until">{formatDateTime(Date.parse(s.ends_at))}</td>
              <td data-label="By">{s.created_by}</td>
              <td data-label="Why" className="tv-silence-comment">
                {s.comment}
              </td>
              {onExpire ? (
                <td className="tv-silence-action">
                  <button type="button" className="tv-button tv-button-quiet" onClick={() => onExpire(s.id)} disabled={expiring.has(s.id)} data-action="expire">
                    {expiring.has(s.id) ? 'Expiring…' : 'Expire'}
                    <span className="tv-visually-hidden"> silence of {s.matchers.map((m) => `${m.label}${m.op}${m.value}`).join(', ')}</span>
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
