'use client';

import { formatClock } from './format';

/** Props of {@link LiveStatus}. */
export interface LiveStatusProps {
  /** The range follows the clock (a preset), so live refresh is possible. */
  live: boolean;
  paused: boolean;
  onTogglePause: () => void;
  fetching: boolean;
  updatedAt: number | undefined;
  refreshSeconds: number;
}

/** Says whether the view refreshes itself and when it last did, with a pause switch. */
export function LiveStatus({ live, paused, onTogglePause, fetching, updatedAt, refreshSeconds }: LiveStatusProps) {
  const updated = updatedAt ? `updated ${formatClock(updatedAt, true)}` : 'waiting for data';
  return (
    <div className="tv-live" aria-live="off">
      {live ? (
        <>
          <span className={`tv-live-dot${paused ? ' tv-live-dot-paused' : ''}`} aria-hidden="true" />
          <span data-live={paused ? 'paused' : 'on'}>
            {paused ? 'Paused' : `Live, every ${refreshSeconds} s`} · {updated}
            {fetching ? ' · updating…' : ''}
          </span>
          <button type="button" className="tv-button tv-button-quiet" onClick={onTogglePause} aria-pressed={paused}>
            {paused ? 'Resume' : 'Pause'}
          </button>
        </>
      ) : (
        <span data-live="off">
          Fixed range · {updated}
          {fetching ? ' · updating…' : ''}
        </span>
      )}
    </div>
  );
}
