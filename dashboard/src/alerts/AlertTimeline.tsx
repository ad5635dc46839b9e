import { tickLabel, timeTicks } from '@/charts/time-ticks';
import type { AlertInstance } from '@/collector-api/types';
import { formatDateTime } from '@/shared/format';
import { labelWords } from './alert-words';

/** Where an episode sits on the track, as percentages of the range. */
function placement(alert: AlertInstance, from: number, to: number) {
  const span = Math.max(1, to - from);
  const pct = (t: number) => Math.min(100, Math.max(0, ((t - from) / span) * 100));
  const start = Date.parse(alert.active_at);
  const fired = alert.fired_at ? Date.parse(alert.fired_at) : null;
  const end = alert.resolved_at ? Date.parse(alert.resolved_at) : to;
  const firingStart = fired ?? end;
  return {
    pendingLeft: pct(start),
    pendingWidth: Math.max(0, pct(firingStart) - pct(start)),
    firingLeft: pct(firingStart),
    firingWidth: fired === null ? 0 : Math.max(0.4, pct(end) - pct(firingStart)),
    ongoing: alert.resolved_at === null,
  };
}

/** A sentence for screen readers: when it was pending, firing and resolved. */
function periodWords(alert: AlertInstance): string {
  const parts = [`pending from ${formatDateTime(Date.parse(alert.active_at))}`];
  if (alert.fired_at) parts.push(`firing from ${formatDateTime(Date.parse(alert.fired_at))}`);
  parts.push(alert.resolved_at ? `resolved at ${formatDateTime(Date.parse(alert.resolved_at))}` : 'still active');
  return parts.join(', ');
}

/**
 * The range's alert episodes as bars on one time track each: pending
 * (hatched) then firing (solid, coloured by severity) until resolved, or to
 * the right edge while still active.
 */
export function AlertTimeline({ alerts, from, to }: { alerts: readonly AlertInstance[]; from: number; to: number }) {
  const ticks = timeTicks(from, to, 6);
  const span = Math.max(1, to - from);
  return (
    <div className="tv-alert-timeline" data-section="alert-timeline">
      <ol className="tv-alert-lanes" aria-label="Alert episodes over the range">
        {alerts.map((alert) => {
          const p = placement(alert, from, to);
          return (
            <li key={alert.id} className="tv-alert-lane" data-alert-id={alert.id} data-state={alert.state}>
              <span className="tv-alert-lane-label">
                <a href={`#alert-${alert.id}`}>{alert.rule_name}</a>
                <span className="tv-muted"> {labelWords(alert.labels)}</span>
                <span className="tv-visually-hidden">: {periodWords(alert)}</span>
              </span>
              <span className="tv-alert-track" aria-hidden="true">
                {p.pendingWidth > 0 ? <span className="tv-alert-bar tv-alert-bar-pending" style={{ left: `${p.pendingLeft}%`, width: `${p.pendingWidth}%` }} /> : null}
                {p.firingWidth > 0 ? (
                  <span
                    className={`tv-alert-bar tv-alert-bar-${alert.severity}${p.ongoing ? ' tv-alert-bar-ongoing' : ''}`}
                    style={{ left: `${p.firingLeft}%`, width: `${p.firingWidth}%` }}
                  />
                ) : null}
              </span>
            </li>
          );
        })}
      </ol>
      <div className="tv-alert-axis" aria-hidden="true">
        <span className="tv-alert-lane-label" />
        <span className="tv-alert-axis-track">
          {ticks.map((t) => (
            <span key={t} className="tv-alert-tick" style={{ left: `${((t - from) / span) * 100}%` }}>
              {tickLabel(t, from, to)}
            </span>
          ))}
        </span>
      </div>
    </div>
  );
}
