'use client';

import { useState } from 'react';
import { LivePageHeader } from '@/shared/LivePageHeader';
import { QueryStates } from '@/shared/QueryStates';
import { RangePicker } from '@/shared/RangePicker';
import { parseRange } from '@/shared/time-range';
import { useSearchState } from '@/shared/use-search-state';
import { ActiveConnectionsChart } from './ActiveConnectionsChart';
import { CloseCodeTable } from './CloseCodeTable';
import { ClosesChart } from './ClosesChart';
import { FilterBar } from './FilterBar';
import { LatencyChart } from './LatencyChart';
import { LostMessagesChart } from './LostMessagesChart';
import { OverviewEmpty } from './OverviewEmpty';
import type { OverviewData } from './overview-data';
import { FILTER_KEYS, hasFilters, readFilters, type FilterKey } from './overview-filters';
import { ReconnectsChart } from './ReconnectsChart';
import { StatCards } from './StatCards';
import { OVERVIEW_REFRESH_MILLIS, useOverviewData } from './use-overview-data';

function suggestionsFrom(data: OverviewData | undefined): Partial<Record<FilterKey, string[]>> {
  const unique = (values: string[]) => [...new Set(values.filter(Boolean))].sort();
  const deploys = data?.deploys ?? [];
  const labels = data?.labels;
  return {
    service: unique([...(labels?.services ?? []), ...deploys.map((d) => d.service)]),
    environment: unique([...(labels?.environments ?? []), ...deploys.map((d) => d.environment)]),
    version: unique([...(labels?.versions ?? []), ...deploys.map((d) => d.version)]),
    server: unique(labels?.servers ?? []),
  };
}

/**
 * The overview: connections, reconnect rate, delivery latency, closes and
 * lost messages over a time range, with deploy markers on every chart.
 * Range and filters live in the URL; a preset range refreshes itself.
 */
export function OverviewPage() {
  const { params, update } = useSearchState();
  const selection = parseRange(params);
  const filters = readFilters(params);
  const [paused, setPaused] = useState(false);
  const query = useOverviewData(selection, filters, paused);
  const { data } = query;
  const clearFilters = () => update(Object.fromEntries(FILTER_KEYS.map((k) => [k, undefined])));

  return (
    <div className="tv-page" data-page="overview">
      <LivePageHeader
        title="Overview"
        selection={selection}
        paused={paused}
        onTogglePause={() => setPaused((p) => !p)}
        query={query}
        refreshMillis={OVERVIEW_REFRESH_MILLIS}
      />
      <section className="tv-toolbar" aria-label="Time range and filters">
        <RangePicker selection={selection} onChange={(patch) => update(patch)} />
        <FilterBar filters={filters} suggestions={suggestionsFrom(data)} onChange={(patch) => update(patch)} />
      </section>

      <QueryStates query={query} loadingLabel="Loading the overview…" />

      {data ? (
        <div
          className="tv-overview"
          aria-busy={query.stale}
          data-state={query.stale ? 'stale' : 'fresh'}
          data-from={data.from}
          data-to={data.to}
          data-step={data.stepSeconds}
        >
          {data.hasAnyData ? (
            <>
              <StatCards totals={data.totals} />
              <div className="tv-chart-grid">
                <ReconnectsChart data={data} syncId="overview" />
                <ActiveConnectionsChart data={data} syncId="overview" />
                <LatencyChart data={data} syncId="overview" />
                <ClosesChart data={data} syncId="overview" />
                <LostMessagesChart data={data} syncId="overview" />
                <CloseCodeTable closeCodes={data.closeCodes} />
              </div>
            </>
          ) : (
            <OverviewEmpty filtered={hasFilters(filters)} onClearFilters={clearFilters} />
          )}
        </div>
      ) : null}
    </div>
  );
}
