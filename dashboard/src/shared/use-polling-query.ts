'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiProblem, ApiResult } from '@/collector-api/api-problem';

/** A query that may refresh itself, keeping what it showed while it refetches. */
export interface PollingQuery<T> {
  /** The latest successful answer, possibly for an earlier key (see `stale`). */
  data: T | undefined;
  /** True when `data` belongs to an earlier key and the current one is still loading. */
  stale: boolean;
  /** The last failure, if the last answer for the current key was one. */
  problem: ApiProblem | undefined;
  /** True until the first answer (data or problem) for the current key arrives. */
  loading: boolean;
  /** True while a request is in flight, including background refreshes. */
  fetching: boolean;
  /** When `data` arrived, epoch ms. */
  updatedAt: number | undefined;
  /** Fetches again now. */
  refresh: () => void;
}

interface Answer<T> {
  data: T | undefined;
  dataKey: string | undefined;
  problem: ApiProblem | undefined;
  problemKey: string | undefined;
  updatedAt: number | undefined;
}

/**
 * Runs `load` whenever `key` changes and, with `intervalMillis`, again that
 * long after each answer (never two at once; skipped while the tab is
 * hidden). The previous data stays on screen until new data replaces it,
 * so refreshes and filter changes do not flicker. A null key loads nothing.
 */
export function usePollingQuery<T>(
  key: string | null,
  load: (signal: AbortSignal) => Promise<ApiResult<T>>,
  intervalMillis: number | null,
): PollingQuery<T> {
  const [answer, setAnswer] = useState<Answer<T>>({
    data: undefined,
    dataKey: undefined,
    problem: undefined,
    problemKey: undefined,
    updatedAt: undefined,
  });
  const [fetching, setFetching] = useState(false);
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });

  useEffect(() => {
    if (key === null) return undefined;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let controller: AbortController | undefined;
    let first = true;

    const schedule = () => {
      if (!cancelled && intervalMillis !== null) timer = setTimeout(run, intervalMillis);
    };
    const run = async () => {
      if (!first && document.hidden) return schedule();
      first = false;
      controller = new AbortController();
      setFetching(true);
      try {
        const result = await loadRef.current(controller.signal);
        if (cancelled) return;
        if (result.ok) {
          setAnswer({ data: result.data, dataKey: key, problem: undefined, problemKey: undefined, updatedAt: Date.now() });
        } else {
          setAnswer((previous) => ({ ...previous, problem: result.problem, problemKey: key }));
        }
      } catch (err) {
        if (cancelled) return;
        const message = err instanceof Error ? err.message : String(err);
        setAnswer((previous) => ({ ...previous, problem: { kind: 'unexpected', status: 0, message }, problemKey: key }));
      } finally {
        if (!cancelled) {
          setFetching(false);
          schedule();
        }
      }
    };
    void run();
    return () => {
      cancelled = true;
      clearTimeout(timer);
      controller?.abort();
    };
  }, [key, intervalMillis, generation]);

  const refresh = useCallback(() => setGeneration((g) => g + 1), []);
  const current = key !== null && answer.dataKey === key;
  return {
    data: answer.data,
    stale: answer.data !== undefined && !current,
    problem: key !== null && answer.problemKey === key ? answer.problem : undefined,
    loading: key !== null && !current && answer.problemKey !== key,
    fetching,
    updatedAt: answer.updatedAt,
    refresh,
  };
}
