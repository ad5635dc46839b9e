import type { AlertSeverity } from '@/collector-api/types';
import { SEVERITY_WORDS } from './alert-words';

/** Severity as a badge: page, ticket or info. */
export function SeverityBadge({ severity }: { severity: AlertSeverity }) {
  return (
    <span className={`tv-badge tv-severity-${severity}`} data-badge="severity" title="Severity">
      {SEVERITY_WORDS[severity]}
    </span>
  );
}
