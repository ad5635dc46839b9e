import type { ReactNode } from 'react';
import { FiringBanner } from '@/alerts/FiringBanner';
import { SessionProvider } from '@/auth/SessionProvider';
import { SessionStatus } from '@/auth/SessionStatus';
import { CollectorUrlProvider } from './CollectorUrlProvider';
import { NavBar } from './NavBar';

/** The frame around every page: skip link, header with navigation and who is signed in, the firing-alerts banner, main content. */
export function AppShell({ collectorUrl, children }: { collectorUrl: string; children: ReactNode }) {
  return (
    <CollectorUrlProvider url={collectorUrl}>
      <SessionProvider>
        <a className="tv-skip-link" href="#main">
          Skip to content
        </a>
        <header className="tv-header">
          <div className="tv-header-inner">
            <span className="tv-brand">
              <span aria-hidden="true" className="tv-brand-mark" />
              TunnelVision
            </span>
            <NavBar />
            <span className="tv-collector" title="Where the dashboard reads from (COLLECTOR_URL)">
              Collector: <code>{collectorUrl}</code>
            </span>
            <SessionStatus />
          </div>
        </header>
        <main id="main" className="tv-main" tabIndex={-1}>
          <FiringBanner />
          {children}
        </main>
      </SessionProvider>
    </CollectorUrlProvider>
  );
}
