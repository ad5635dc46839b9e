'use client';

import { useCallback, useState } from 'react';
import type { ApiProblem, ApiResult } from '@/collector-api/api-problem';
import { fetchCollector, writeCollector } from '@/collector-api/fetch-collector';
import { usePollingQuery, type PollingQuery } from '@/shared/use-polling-query';
import type { CreatedKeyResponse, KeysResponse } from './admin-types';
import type { NewKeyBody } from './key-draft';

/** The tenant's keys, and creating and revoking them. */
export interface AdminKeys {
  query: PollingQuery<KeysResponse>;
  create: (body: NewKeyBody) => Promise<ApiResult<CreatedKeyResponse>>;
  revoke: (id: string) => Promise<ApiResult<unknown>>;
  /** Ids of keys being revoked right now. */
  revoking: ReadonlySet<string>;
  /** The last revoke that failed, with the key it was for. */
  revokeProblem: { id: string; problem: ApiProblem } | null;
}

/** Loads the keys once (they change only through this page) and again after each change. */
export function useAdminKeys(): AdminKeys {
  const query = usePollingQuery<KeysResponse>('admin-keys', (signal) => fetchCollector<KeysResponse>('admin/keys', {}, signal), null);
  const { refresh } = query;
  const [revoking, setRevoking] = useState<ReadonlySet<string>>(new Set());
  const [revokeProblem, setRevokeProblem] = useState<AdminKeys['revokeProblem']>(null);

  const create = useCallback(
    async (body: NewKeyBody) => {
      const result = await writeCollector<CreatedKeyResponse>('POST', 'admin/keys', body);
      if (result.ok) refresh();
      return result;
    },
    [refresh],
  );

  const revoke = useCallback(
    async (id: string) => {
      setRevoking((set) => new Set(set).add(id));
      setRevokeProblem(null);
      const result = await writeCollector<unknown>('DELETE', `admin/keys/${encodeURIComponent(id)}`);
      setRevoking((set) => {
        const next = new Set(set);
        next.delete(id);
        return next;
      });
      if (result.ok) refresh();
      else setRevokeProblem({ id, problem: result.problem });
      return result;
    },
    [refresh],
  );

  return { query, create, revoke, revoking, revokeProblem };
}
