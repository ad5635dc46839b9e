'use client';

import { useCollectorUrl } from '@/layout/CollectorUrlProvider';

/** What to check when the overview has nothing to draw; different advice with and without filters. */
export function OverviewEmpty({ filtered, onClearFilters }: { filtered: boolean; onClearFilters: () => void }) {
  const collectorUrl = useCollectorUrl();
  if (filtered) {
    return (
      <div role="status" className="tv-state tv-state-empty" data-state="empty">
        <p className="tv-state-title">No data matches these filters in this range.</p>
        <p>Filters match exactly (service.name, deployment.environment.name, service.version, server.address). Widen the range or clear them.</p>
        <button type="button" className="tv-button" onClick={onClearFilters}>
          Clear filters
        </button>
      </div>
    );
  }
  return (
    <div role="status" className="tv-state tv-state-empty" data-state="empty">
      <p className="tv-state-title">No data yet: is the SDK pointed at {collectorUrl}?</p>
      <p>
        Point your app&apos;s OpenTelemetry exporter there (<code>OTEL_EXPORTER_OTLP_ENDPOINT={collectorUrl}</code>); events go to{' '}
        <code>{collectorUrl}/v1/logs</code> and metrics to <code>{collectorUrl}/v1/metrics</code>. To see the dashboard with a live demo, run{' '}
        <code>npm start</code>. If data was sent earlier, pick a longer time range.
      </p>
    </div>
  );
}
