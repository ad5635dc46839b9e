import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LookupPage } from '@/lookup/LookupPage';
import { LoadingState } from '@/shared/LoadingState';

/** Page title, after the layout's template. */
export const metadata: Metadata = { title: 'Lookup' };

/** `/lookup?q=<id>&kind=<kind>`: the support lookup. */
export default function Page() {
  return (
    <Suspense fallback={<LoadingState />}>
      <LookupPage />
    </Suspense>
  );
}
