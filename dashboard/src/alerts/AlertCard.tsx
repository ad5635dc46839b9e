import type { ReactNode } from 'react';
import type { AlertInstance, AlertRuleStatus } from '@/collector-api/types';
import { formatDateTime, formatSeconds, shortCommit } from '@/shared/format';
import { safeHref } from '@/shared/safe-href';
import { formatAlertValue, formatThreshold } from './alert-words';
import { AlertStateBadge } from './AlertStateBadge';
import { SeverityBadge } from './SeverityBadge';

/** Props of {@link AlertCard}. */
export interface AlertCardProps {
  alert: AlertInstance;
  /** Its rule, for the comparison operator; absent when the rule is gone. */
  rule: AlertRuleStatus | undefined;
  /** Time the page was rendered for, for "for 12 min" of active alerts. */
  now: number;
  /** Opens the silence form prefilled with this alert's rule and labels. */
  onSilence: (alert: AlertInstance) => void;
}

/** A runbook is a link when it is a URL, else a reference shown as text (e.g. docs/alerts.md#reconnect-storm). */
function runbookContent(runbook: string): ReactNode {
  if (!runbook) return 'none';
  const href = /^https?:\/\//.test(runbook) ? safeHref(runbook) : undefined;
  return href ? <a href={href}>{runbook}</a> : <code>{runbook}</code>;
}

/**
 * One alert episode: its sentence, labels, value against the threshold,
 * when it started, fired and resolved, the nearest deploy before it, a link
 * to the chart and a "silence" action.
 */
export function AlertCard({ alert, rule, now, onSilence }: AlertCardProps) {
  const chartHref = safeHref(alert.dashboard_url);
  const active = Date.parse(alert.active_at);
  const end = alert.resolved_at ? Date.parse(alert.resolved_at) : now;
  const silenced = alert.silenced_by.length > 0;
  const titleId = `alert-${alert.id}-title`;
  return (
    <article
      id={`alert-${alert.id}`}
      className={`tv-alert tv-alert-${alert.state} tv-alert-severity-${alert.severity}`}
      aria-labelledby={titleId}
      data-alert-id={alert.id}
      data-rule-id={alert.rule_id}
      data-state={alert.state}
      data-silenced={silenced ? 'true' : 'false'}
    >
      <header className="tv-alert-head">
        <h3 id={titleId}>{alert.rule_name}</h3>
        <AlertStateBadge state={alert.state} />
        <SeverityBadge severity={alert.severity} />
        {silenced ? (
          <span className="tv-badge tv-badge-quiet" data-badge="silenced" title={`Silenced by ${alert.silenced_by.join(', ')}`}>
            Silenced
          </span>
        ) : null}
      </header>
      <p className="tv-alert-summary" data-summary>
        {alert.summary}
      </p>
      {Object.keys(alert.labels).length > 0 ? (
        <ul className="tv-labels" aria-label="Labels">
          {Object.entries(alert.labels).map(([key, value]) => (
            <li key={key}>
              <code>
                {key}={value}
              </code>
            </li>
          ))}
        </ul>
      ) : null}
      <dl className="tv-alert-facts">
        <div>
          <dt>Value</dt>
          <dd data-fact="value">
            <strong>{formatAlertValue(alert.value, alert.unit)}</strong> (threshold {formatThreshold(alert, rule)})
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd data-fact="started">
            {formatDateTime(active)}
            {alert.fired_at ? `, fired ${formatDateTime(Date.parse(alert.fired_at))}` : ', not fired yet'}
          </dd>
        </div>
        <div>
          <dt>{alert.resolved_at ? 'Resolved' : 'Active for'}</dt>
          <dd data-fact="resolved">
            {alert.resolved_at
              ? `${formatDateTime(end)} (after ${formatSeconds(Math.round((end - active) / 1000))})`
              : formatSeconds(Math.round(Math.max(0, end - active) / 1000))}
          </dd>
        </div>
        <div>
          <dt>Nearest deploy</dt>
          <dd data-fact="deploy">
            {alert.deploy ? (
              <>
                {alert.deploy.version}
                {alert.deploy.commit ? (
                  <>
                    {' '}
                    (<code>{shortCommit(alert.deploy.commit)}</code>)
                  </>
                ) : null}
                , {alert.deploy.minutes_before_onset} min before onset
              </>
            ) : (
              'none before onset'
            )}
          </dd>
        </div>
        {silenced ? (
          <div>
            <dt>Silenced by</dt>
            <dd data-fact="silenced-by">
              {alert.silenced_by.map((id) => (
                <a key={id} href={`#silence-${id}`} className="tv-silence-ref">
                  <code>{id.slice(0, 8)}</code>
                </a>
              ))}
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Runbook</dt>
          <dd>
            {runbookContent(alert.runbook)}
          </dd>
        </div>
      </dl>
      <div className="tv-alert-actions">
        {chartHref ? (
          <a className="tv-button tv-button-link" href={chartHref} data-dashboard-link>
            Open the chart<span className="tv-visually-hidden"> for {alert.rule_name}</span>
          </a>
        ) : null}
        {alert.state !== 'resolved' ? (
          <button type="button" className="tv-button tv-button-quiet" onClick={() => onSilence(alert)} data-action="silence">
            Silence this alert<span className="tv-visually-hidden">: {alert.rule_name}</span>
          </button>
        ) : null}
      </div>
    </article>
  );
}
