import type { AlertRuleStatus } from '@/collector-api/types';
import { describeRuleCondition } from './alert-words';
import { AlertStateBadge } from './AlertStateBadge';
import { SeverityBadge } from './SeverityBadge';

const STATE_ORDER = { firing: 0, pending: 1, inactive: 2 } as const;

/** Every rule the collector evaluates, firing ones first: state, severity, kind, source and its condition in words. */
export function AlertRulesTable({ rules }: { rules: readonly AlertRuleStatus[] }) {
  const sorted = [...rules].sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || a.name.localeCompare(b.name));
  return (
    <section className="tv-card" aria-labelledby="alert-rules-title" data-section="alert-rules">
      <h2 id="alert-rules-title">Rules</h2>
      {sorted.length === 0 ? (
        <p className="tv-muted">No rules: the collector has none configured.</p>
      ) : (
        <div className="tv-table-wrap" tabIndex={0} role="region" aria-labelledby="alert-rules-title">
          <table className="tv-table tv-rules-table tv-table-stack">
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col">State</th>
                <th scope="col">Severity</th>
                <th scope="col">Kind</th>
                <th scope="col">Source</th>
                <th scope="col">Condition</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((rule) => (
                <tr key={rule.id} data-rule-id={rule.id} data-state={rule.state} className={rule.enabled ? undefined : 'tv-row-disabled'}>
                  <th scope="row">
                    <span className="tv-rule-name">{rule.name}</span>
                    <code className="tv-rule-id">{rule.id}</code>
                  </th>
                  <td data-label="State">
                    {rule.enabled ? <AlertStateBadge state={rule.state} /> : <span className="tv-badge tv-badge-quiet">Disabled</span>}
                    {rule.firing + rule.pending > 1 ? (
                      <span className="tv-rule-count">
                        {rule.firing} firing, {rule.pending} pending
                      </span>
                    ) : null}
                    {rule.last_error ? (
                      <span className="tv-rule-error" data-rule-error>
                        Not evaluated: {rule.last_error}
                      </span>
                    ) : null}
                  </td>
                  <td data-label="Severity">
                    <SeverityBadge severity={rule.severity} />
                  </td>
                  <td data-label="Kind">{rule.kind.replace('_', ' ')}</td>
                  <td data-label="Source">{rule.source}</td>
                  <td className="tv-rule-condition" data-label="Condition" data-condition>
                    {describeRuleCondition(rule)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
