'use client';

import { ErrorState } from './ErrorState';
import { LoadingState } from './LoadingState';
import type { PollingQuery } from './use-polling-query';

/**
 * What a page shows of its polling query besides the data: a spinner until
 * the first answer, a failure with a retry in place of data never received,
 * or, when a refresh fails, a compact failure above the last data received
 * (which stays on screen).
 */
export function QueryStates({ query, loadingLabel }: { query: Pick<PollingQuery<unknown>, 'data' | 'problem' | 'loading' | 'refresh'>; loadingLabel: string }) {
  const { data, problem, loading, refresh } = query;
  return (
    <>
      {problem && data ? <ErrorState compact problem={{ ...problem, message: `${problem.message} Showing the last data received.` }} onRetry={refresh} /> : null}
      {!data && loading ? <LoadingState label={loadingLabel} /> : null}
      {!data && problem ? <ErrorState problem={problem} onRetry={refresh} /> : null}
    </>
  );
}
