import { formatDateTime, shortCommit } from '@/shared/format';
import type { ActiveDeploy } from './DeployMarkers';

/** The tooltip of a hovered or focused deploy marker: version, commit, time and description. */
export function DeployTooltip({ active, chartWidth }: { active: ActiveDeploy; chartWidth: number }) {
  const { deploy } = active;
  // Keep the box inside the chart: open to the left near the right edge.
  const left = Math.min(active.x + 10, Math.max(0, chartWidth - 260));
  return (
    <div className="tv-deploy-tooltip" role="tooltip" style={{ left, top: Math.max(0, active.y - 8) }}>
      <strong>
        Deploy {deploy.service} {deploy.version}
      </strong>
      <dl>
        <dt>Version</dt>
        <dd>{deploy.version}</dd>
        <dt>Commit</dt>
        <dd>{deploy.commit ? <code>{shortCommit(deploy.commit)}</code> : 'not recorded'}</dd>
        <dt>When</dt>
        <dd>{formatDateTime(Date.parse(deploy.time))}</dd>
        <dt>Environment</dt>
        <dd>{deploy.environment}</dd>
      </dl>
      {deploy.description ? <p>{deploy.description}</p> : null}
    </div>
  );
}
