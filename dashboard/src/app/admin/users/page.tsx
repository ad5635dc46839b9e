import type { Metadata } from 'next';
import { AdminUsersPage } from '@/admin/AdminUsersPage';

/** Page title, after the layout's template. */
export const metadata: Metadata = { title: 'Users' };

/** `/admin/users`: the tenant's dashboard users (admins only). */
export default function Page() {
  return <AdminUsersPage />;
}
