'use client';

import { LiveStatus } from './LiveStatus';
import type { RangeSelection } from './time-range';
import type { PollingQuery } from './use-polling-query';

/** Props of {@link LivePageHeader}. */
export interface LivePageHeaderProps {
  /** The page's heading. */
  title: string;
  /** The page's range: a preset follows the clock, so the page refreshes itself unless paused. */
  selection: RangeSelection;
  paused: boolean;
  onTogglePause: () => void;
  /** The page's data: whether a request is in flight and when the data shown arrived. */
  query: Pick<PollingQuery<unknown>, 'fetching' | 'updatedAt'>;
  /** How often the page refreshes while live. */
  refreshMillis: number;
}

/** The heading of a page over a time range, with its {@link LiveStatus}: live or fixed, last update, pause switch. */
export function LivePageHeader({ title, selection, paused, onTogglePause, query, refreshMillis }: LivePageHeaderProps) {
  return (
    <div className="tv-page-header">
      <h1>{title}</h1>
      <LiveStatus
        live={selection.kind === 'preset'}
        paused={paused}
        onTogglePause={onTogglePause}
        fetching={query.fetching}
        updatedAt={query.updatedAt}
        refreshSeconds={refreshMillis / 1000}
      />
    </div>
  );
}
