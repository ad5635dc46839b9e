'use client';

import { useCallback, useState } from 'react';
import type { ApiProblem, ApiResult } from '@/collector-api/api-problem';
import { fetchCollector, writeCollector } from '@/collector-api/fetch-collector';
import { usePollingQuery, type PollingQuery } from '@/shared/use-polling-query';
import type { DashboardUser, UsersResponse } from './admin-types';
import type { UserDraft } from './user-draft';

/** The tenant's users, and creating and deleting them. */
export interface AdminUsers {
  query: PollingQuery<UsersResponse>;
  create: (body: UserDraft) => Promise<ApiResult<{ user: DashboardUser }>>;
  remove: (username: string) => Promise<ApiResult<unknown>>;
  /** Users being deleted right now. */
  removing: ReadonlySet<string>;
  /** The last delete that failed, with the user it was for. */
  removeProblem: { username: string; problem: ApiProblem } | null;
}

/** Loads the users once (they change only through this page) and again after each change. */
export function useAdminUsers(): AdminUsers {
  const query = usePollingQuery<UsersResponse>('admin-users', (signal) => fetchCollector<UsersResponse>('admin/users', {}, signal), null);
  const { refresh } = query;
  const [removing, setRemoving] = useState<ReadonlySet<string>>(new Set());
  const [removeProblem, setRemoveProblem] = useState<AdminUsers['removeProblem']>(null);

  const create = useCallback(
    async (body: UserDraft) => {
      const result = await writeCollector<{ user: DashboardUser }>('POST', 'admin/users', { ...body, username: body.username.trim() });
      if (result.ok) refresh();
      return result;
    },
    [refresh],
  );

  const remove = useCallback(
    async (username: string) => {
      setRemoving((set) => new Set(set).add(username));
      setRemoveProblem(null);
      const result = await writeCollector<unknown>('DELETE', `admin/users/${encodeURIComponent(username)}`);
      setRemoving((set) => {
        const next = new Set(set);
        next.delete(username);
        return next;
      });
      if (result.ok) refresh();
      else setRemoveProblem({ username, problem: result.problem });
      return result;
    },
    [refresh],
  );

  return { query, create, remove, removing, removeProblem };
}
