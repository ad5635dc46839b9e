import type { Metadata } from 'next';
import { AccountPage } from '@/auth/AccountPage';

/** Page title, after the layout's template. */
export const metadata: Metadata = { title: 'Account' };

/** `/account`: who is signed in, and a password change. */
export default function Page() {
  return <AccountPage />;
}
