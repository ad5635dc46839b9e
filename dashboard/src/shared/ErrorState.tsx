'use client';

import type { ApiProblem } from '@/collector-api/api-problem';

/** A failure the user can act on: what went wrong, what to do, and a retry. */
export function ErrorState({ problem, onRetry, compact = false }: { problem: ApiProblem; onRetry?: () => void; compact?: boolean }) {
  const title =
    problem.kind === 'collector_unreachable'
      ? 'The collector is not answering'
      : problem.kind === 'store_unavailable'
        ? 'The collector cannot query its store'
        : problem.kind === 'dashboard_unreachable'
          ? 'The dashboard server is not answering'
          : problem.kind === 'bad_request'
            ? 'The query was refused'
            : problem.kind === 'not_allowed'
              ? 'The change was not allowed'
              : problem.kind === 'signed_out'
                ? 'You are signed out'
                : 'Something went wrong';
  return (
    <div role="alert" className={`tv-state tv-state-error${compact ? ' tv-state-compact' : ''}`} data-state="error" data-problem={problem.kind}>
      <p className="tv-state-title">{title}</p>
      <p>{problem.message}</p>
      {onRetry ? (
        <button type="button" className="tv-button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
