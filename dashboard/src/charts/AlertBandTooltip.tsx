import { formatDateTime } from '@/shared/format';
import type { ActiveAlertPeriod } from './AlertBands';

/** The tooltip of a hovered or focused alert band: rule, severity, labels, when, and its sentence. */
export function AlertBandTooltip({ active, chartWidth }: { active: ActiveAlertPeriod; chartWidth: number }) {
  const { period } = active;
  // Keep the box inside the chart: centred on the band, clamped to the edges.
  const left = Math.min(Math.max(0, active.x - 130), Math.max(0, chartWidth - 270));
  return (
    <div className="tv-alert-tooltip" role="tooltip" style={{ left, top: Math.max(0, active.y + 4) }}>
      <strong>
        {period.title} · {period.severity}
        {period.silenced ? ' · silenced' : ''}
      </strong>
      <dl>
        <dt>Labels</dt>
        <dd>{period.labels}</dd>
        <dt>{period.firedAt === null ? 'Pending' : 'Firing'}</dt>
        <dd>from {formatDateTime(period.firedAt ?? period.start)}</dd>
        <dt>Until</dt>
        <dd>{period.end === null ? 'still active' : formatDateTime(period.end)}</dd>
      </dl>
      <p>{period.summary}</p>
    </div>
  );
}
