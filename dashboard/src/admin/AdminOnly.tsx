'use client';

import type { ReactNode } from 'react';
import { useSession } from '@/auth/SessionProvider';
import { isAdmin } from '@/auth/session-types';
import { ErrorState } from '@/shared/ErrorState';
import { LoadingState } from '@/shared/LoadingState';
import { AdminRoleNeeded } from './AdminRoleNeeded';

/**
 * Shows `children` to admins only; everyone else reads that the page needs
 * the admin role. A convenience, not the protection: the collector refuses
 * a viewer's admin calls with 403 whatever the page shows.
 */
export function AdminOnly({ children }: { children: ReactNode }) {
  const session = useSession();
  if (session.status === 'unavailable') return <ErrorState problem={{ kind: 'collector_unreachable', status: 0, message: session.message }} />;
  if (session.status !== 'signed_in') return <LoadingState label="Checking your role…" />;
  if (!isAdmin(session.session.principal)) return <AdminRoleNeeded />;
  return children;
}
