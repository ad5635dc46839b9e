import type { Metadata } from 'next';
import { AdminKeysPage } from '@/admin/AdminKeysPage';

/** Page title, after the layout's template. */
export const metadata: Metadata = { title: 'Keys' };

/** `/admin/keys`: the tenant's keys (admins only). */
export default function Page() {
  return <AdminKeysPage />;
}
