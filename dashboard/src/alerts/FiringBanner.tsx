'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { SEVERITY_WORDS, worstSeverity } from './alert-words';
import { useFiringAlerts } from './use-firing-alerts';

/**
 * A banner on every page but /alerts and /login while any alert fires: how
 * many, the worst severity, the first one's sentence and a link to the
 * alerts page.
 * Renders nothing when nothing fires or the collector cannot be asked (the
 * page's own error state says so).
 */
export function FiringBanner() {
  const pathname = usePathname();
  // The sign-in page reads nothing: signed out, every read would be refused.
  const hidden = pathname.startsWith('/alerts') || pathname === '/login';
  const { data } = useFiringAlerts(!hidden);
  const firing = (data?.alerts ?? []).filter((a) => a.state === 'firing');
  if (hidden || firing.length === 0) return null;
  const loud = firing.filter((a) => a.silenced_by.length === 0);
  const shown = loud[0] ?? firing[0]!;
  const worst = worstSeverity(loud.length > 0 ? loud : firing);
  const silenced = firing.length - loud.length;
  const count = `${firing.length} alert${firing.length === 1 ? '' : 's'} firing`;
  return (
    <section
      className={`tv-firing-banner${loud.length === 0 ? ' tv-firing-banner-silenced' : ''}`}
      aria-label="Firing alerts"
      data-firing-banner
      data-count={firing.length}
      data-severity={worst ?? undefined}
    >
      <p>
        <strong>{count}</strong>
        {worst ? <span className={`tv-badge tv-severity-${worst}`}>worst: {SEVERITY_WORDS[worst]}</span> : null}
        {silenced > 0 ? <span className="tv-firing-silenced"> ({silenced} silenced)</span> : null}
      </p>
      <p className="tv-firing-summary" data-summary>
        {shown.summary}
      </p>
      <Link href="/alerts" className="tv-firing-link">
        See alerts
      </Link>
    </section>
  );
}
