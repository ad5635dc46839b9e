import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LoginPage } from '@/auth/LoginPage';
import { LoadingState } from '@/shared/LoadingState';

/** Page title, after the layout's template. */
export const metadata: Metadata = { title: 'Sign in' };

/** `/login?next=/lookup`: the sign-in form. */
export default function Page() {
  return (
    <Suspense fallback={<LoadingState />}>
      <LoginPage />
    </Suspense>
  );
}
