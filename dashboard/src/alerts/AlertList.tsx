import type { AlertInstance, AlertRuleStatus } from '@/collector-api/types';
import { AlertCard } from './AlertCard';

/** Alert episodes, active ones first (the collector's order), each as an {@link AlertCard}. */
export function AlertList({
  alerts,
  rules,
  now,
  onSilence,
}: {
  alerts: readonly AlertInstance[];
  rules: readonly AlertRuleStatus[];
  now: number;
  onSilence: (alert: AlertInstance) => void;
}) {
  const ruleById = new Map(rules.map((r) => [r.id, r]));
  return (
    <ul className="tv-alert-list" data-section="alert-list">
      {alerts.map((alert) => (
        <li key={alert.id}>
          <AlertCard alert={alert} rule={ruleById.get(alert.rule_id)} now={now} onSilence={onSilence} />
        </li>
      ))}
    </ul>
  );
}
