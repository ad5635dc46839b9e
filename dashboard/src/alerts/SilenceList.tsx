import type { ApiProblem } from '@/collector-api/api-problem';
import type { Silence } from '@/collector-api/types';
import { SilenceTable } from './SilenceTable';

/** How many expired silences are listed (newest first). */
const EXPIRED_SHOWN = 20;

/** Silences: active and pending ones with an Expire button, then the most recent expired ones. */
export function SilenceList({
  silences,
  expiring,
  expireProblem,
  onExpire,
}: {
  silences: readonly Silence[];
  expiring: ReadonlySet<string>;
  expireProblem: { id: string; problem: ApiProblem } | null;
  onExpire: (id: string) => void;
}) {
  const current = silences.filter((s) => s.state !== 'expired');
  const expired = silences.filter((s) => s.state === 'expired');
  return (
    <div className="tv-silences" data-section="silence-list">
      {expireProblem ? (
        <p role="alert" className="tv-form-problems">
          Could not expire the silence: {expireProblem.problem.message}
        </p>
      ) : null}
      {current.length === 0 ? (
        <p className="tv-muted">No active or pending silences: every alert notifies.</p>
      ) : (
        <SilenceTable silences={current} expiring={expiring} onExpire={onExpire} />
      )}
      {expired.length > 0 ? (
        <details className="tv-expired-silences">
          <summary>
            Expired silences ({expired.length}
            {expired.length > EXPIRED_SHOWN ? `, newest ${EXPIRED_SHOWN} shown` : ''})
          </summary>
          <SilenceTable silences={expired.slice(0, EXPIRED_SHOWN)} expiring={expiring} />
        </details>
      ) : null}
    </div>
  );
}
