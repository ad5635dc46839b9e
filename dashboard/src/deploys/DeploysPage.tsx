'use client';

import type { Deploy } from '@/collector-api/types';
import { ErrorState } from '@/shared/ErrorState';
import { formatDateTime, shortCommit } from '@/shared/format';
import { LoadingState } from '@/shared/LoadingState';
import { useSearchState } from '@/shared/use-search-state';
import { DeployCompare } from './DeployCompare';
import { DeployImpactControls } from './DeployImpactControls';
import { DeployImpactPanel } from './DeployImpactPanel';
import { DeployList } from './DeployList';
import { DeployReconnectsChart } from './DeployReconnectsChart';
import { readDeploysQuery, windowSeconds } from './deploys-query';
import { DeploysEmpty } from './DeploysEmpty';
import { useDeployImpact } from './use-deploy-impact';
import { useDeployReconnects } from './use-deploy-reconnects';
import { useDeploys } from './use-deploys';

/**
 * Deploys: the recorded markers and, for the chosen one (the newest by
 * default), the storm it caused and how fast clients came back, optionally
 * side by side with another deploy.
 */
export function DeploysPage() {
  const { params, update } = useSearchState();
  const query = readDeploysQuery(params);
  const list = useDeploys();
  const deploys: readonly Deploy[] = list.data?.deploys ?? [];
  const selected = deploys.find((d) => d.id === query.id) ?? (query.id ? undefined : deploys[deploys.length - 1]);
  const selectedId = query.id ?? selected?.id;
  const compareId = query.compare && query.compare !== selectedId ? query.compare : undefined;
  const impact = useDeployImpact(selectedId, query.window);
  const other = useDeployImpact(compareId, query.window);
  const reconnects = useDeployReconnects(selected ?? impact.data?.deploy, windowSeconds(query.window));
  const hrefFor = (id: string) => {
    const next = new URLSearchParams(params.toString());
    next.set('id', id);
    if (next.get('compare') === id) next.delete('compare');
    return `/deploys?${next.toString()}`;
  };
  const shown = impact.stale ? undefined : impact.data;
  const shownDeploy = shown?.deploy ?? selected;

  return (
    <div className="tv-page" data-page="deploys">
      <div className="tv-page-header">
        <h1>Deploys</h1>
      </div>
      {list.loading && !list.data ? <LoadingState label="Loading deploys…" /> : null}
      {list.problem ? <ErrorState problem={list.problem} onRetry={list.refresh} compact={Boolean(list.data)} /> : null}
      {list.data && deploys.length === 0 ? <DeploysEmpty /> : null}

      {selectedId && deploys.length > 0 ? (
        <section className="tv-card tv-impact" aria-labelledby="impact-title">
          <div className="tv-impact-heading">
            <h2 id="impact-title">
              Impact of {shownDeploy ? `${shownDeploy.service} ${shownDeploy.version}` : 'the deploy'}
              {shownDeploy ? (
                <span className="tv-muted tv-impact-sub">
                  {' '}
                  {formatDateTime(Date.parse(shownDeploy.time))} · {shownDeploy.environment}
                  {shownDeploy.commit ? ` · commit ${shortCommit(shownDeploy.commit)}` : ''}
                </span>
              ) : null}
            </h2>
            <DeployImpactControls deploys={deploys} selectedId={selectedId} compareId={compareId} window={query.window} onChange={(patch) => update(patch)} />
          </div>
          {impact.loading ? <LoadingState label="Measuring the deploy's impact…" /> : null}
          {impact.problem ? <ErrorState problem={impact.problem} onRetry={impact.refresh} /> : null}
          {shown ? <DeployImpactPanel impact={shown} /> : null}
          {reconnects.data && shownDeploy && !reconnects.stale ? (
            <DeployReconnectsChart series={reconnects.data} deploy={shownDeploy} deploys={deploys} />
          ) : null}
        </section>
      ) : null}

      {compareId ? (
        other.problem ? (
          <ErrorState problem={other.problem} onRetry={other.refresh} />
        ) : shown && other.data && !other.stale ? (
          <DeployCompare a={shown} b={other.data} />
        ) : (
          <LoadingState label="Loading the comparison…" />
        )
      ) : null}

      {deploys.length > 0 ? <DeployList deploys={deploys} selectedId={selectedId} hrefFor={hrefFor} /> : null}
    </div>
  );
}
