'use client';

import { useCallback, useState } from 'react';
import type { AlertInstance } from '@/collector-api/types';
import { EmptyState } from '@/shared/EmptyState';
import { formatClock } from '@/shared/format';
import { LivePageHeader } from '@/shared/LivePageHeader';
import { QueryStates } from '@/shared/QueryStates';
import { RangePicker } from '@/shared/RangePicker';
import { parseRange } from '@/shared/time-range';
import { useSearchState } from '@/shared/use-search-state';
import { AlertList } from './AlertList';
import { AlertRulesTable } from './AlertRulesTable';
import { AlertTimeline } from './AlertTimeline';
import { draftFromAlert, type SilenceDraft } from './silence-draft';
import { SilenceForm } from './SilenceForm';
import { SilenceList } from './SilenceList';
import { ALERTS_REFRESH_MILLIS, useAlertsData, type AlertsData } from './use-alerts-data';
import { useSilenceActions } from './use-silence-actions';

/** Values seen on alerts and rules, per matchable label, for the silence form's suggestions. */
function suggestionsFrom(data: AlertsData | undefined): Record<string, string[]> {
  const collect = (values: (string | undefined)[]) => [...new Set(values.filter((v): v is string => Boolean(v)))].sort();
  const alerts = data?.alerts ?? [];
  const labels = (name: string) => alerts.map((a) => a.labels[name]);
  return {
    rule: collect((data?.rules ?? []).map((r) => r.id)),
    severity: ['page', 'ticket', 'info'],
    service: collect(labels('service')),
    environment: collect(labels('environment')),
    server: collect(labels('server')),
  };
}

/** What the page says about firing and pending alerts at a glance. */
function headline(data: AlertsData): string {
  const firing = data.alerts.filter((a) => a.state === 'firing').length;
  const pending = data.alerts.filter((a) => a.state === 'pending').length;
  const evaluated = data.evaluatedAt ? `last evaluated ${formatClock(data.evaluatedAt, true)}` : 'not evaluated yet';
  return `${firing} firing, ${pending} pending; rules checked every ${data.evaluationIntervalSeconds} s, ${evaluated}.`;
}

/**
 * Alerts: the rules and their state, the range's episodes on a timeline
 * and as cards (active first), and silences (create, list, expire). The
 * range lives in the URL; a preset range refreshes itself.
 */
export function AlertsPage() {
  const { params, update } = useSearchState();
  const selection = parseRange(params);
  const [paused, setPaused] = useState(false);
  const query = useAlertsData(selection, paused);
  const { data, refresh } = query;
  const actions = useSilenceActions(useCallback(() => refresh(), [refresh]));
  // A new key remounts the form with the draft (and moves focus into it).
  const [draft, setDraft] = useState<{ key: number; value: SilenceDraft } | null>(null);
  const silence = (alert: AlertInstance) => setDraft((d) => ({ key: (d?.key ?? 0) + 1, value: draftFromAlert(alert) }));

  return (
    <div className="tv-page" data-page="alerts">
      <LivePageHeader
        title="Alerts"
        selection={selection}
        paused={paused}
        onTogglePause={() => setPaused((p) => !p)}
        query={query}
        refreshMillis={ALERTS_REFRESH_MILLIS}
      />
      <section className="tv-toolbar" aria-label="Time range">
        <RangePicker selection={selection} onChange={(patch) => update(patch)} />
        {data ? (
          <p className="tv-alerts-headline" data-headline>
            {headline(data)}
          </p>
        ) : null}
      </section>

      <QueryStates query={query} loadingLabel="Loading alerts…" />

      {data ? (
        <div className="tv-alerts" aria-busy={query.stale} data-state={query.stale ? 'stale' : 'fresh'}>
          <AlertRulesTable rules={data.rules} />

          <section className="tv-card" aria-labelledby="alert-episodes-title" data-section="alerts">
            <h2 id="alert-episodes-title">Alerts in this range</h2>
            {data.alerts.length === 0 ? (
              <EmptyState title="No alerts in this range.">
                <p>Nothing was pending or firing. Pick a longer range to see older episodes.</p>
              </EmptyState>
            ) : (
              <>
                <AlertTimeline alerts={data.alerts} from={data.from} to={data.to} />
                <AlertList alerts={data.alerts} rules={data.rules} now={data.to} onSilence={silence} />
              </>
            )}
          </section>

          <section className="tv-card" aria-labelledby="silences-title" data-section="silences">
            <h2 id="silences-title">Silences</h2>
            <div className="tv-silence-columns">
              <SilenceList silences={data.silences} expiring={actions.expiring} expireProblem={actions.expireProblem} onExpire={actions.expire} />
              <SilenceForm
                key={draft?.key ?? 0}
                initial={draft?.value}
                focusOnOpen={draft !== null}
                suggestions={suggestionsFrom(data)}
                onCreate={actions.create}
              />
            </div>
          </section>
        </div>
      ) : null}
    </div>
  );
}
