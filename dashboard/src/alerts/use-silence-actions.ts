'use client';

import { useCallback, useState } from 'react';
import type { ApiProblem, ApiResult } from '@/collector-api/api-problem';
import { writeCollector } from '@/collector-api/fetch-collector';
import type { Silence } from '@/collector-api/types';
import type { NewSilenceBody } from './silence-draft';

/** Creating and expiring silences through the dashboard's proxy. */
export interface SilenceActions {
  create: (body: NewSilenceBody) => Promise<ApiResult<{ silence: Silence }>>;
  expire: (id: string) => Promise<ApiResult<{ silence: Silence }>>;
  /** Ids of silences being expired right now. */
  expiring: ReadonlySet<string>;
  /** The last expire that failed, with the silence it was for. */
  expireProblem: { id: string; problem: ApiProblem } | null;
}

/** Writes silences, then calls `onChanged` (to refetch the page) after each success. */
export function useSilenceActions(onChanged: () => void): SilenceActions {
  const [expiring, setExpiring] = useState<ReadonlySet<string>>(new Set());
  const [expireProblem, setExpireProblem] = useState<SilenceActions['expireProblem']>(null);

  const create = useCallback(
    async (body: NewSilenceBody) => {
      const result = await writeCollector<{ silence: Silence }>('POST', 'silences', body);
      if (result.ok) onChanged();
      return result;
    },
    [onChanged],
  );

  const expire = useCallback(
    async (id: string) => {
      setExpiring((set) => new Set(set).add(id));
      setExpireProblem(null);
      const result = await writeCollector<{ silence: Silence }>('DELETE', `silences/${encodeURIComponent(id)}`);
      setExpiring((set) => {
        const next = new Set(set);
        next.delete(id);
        return next;
      });
      if (result.ok) onChanged();
      else setExpireProblem({ id, problem: result.problem });
      return result;
    },
    [onChanged],
  );

  return { create, expire, expiring, expireProblem };
}
