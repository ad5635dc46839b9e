import type { Metadata } from 'next';
import { Suspense } from 'react';
import { OverviewPage } from '@/overview/OverviewPage';
import { LoadingState } from '@/shared/LoadingState';

/** Page title, after the layout's template. */
export const metadata: Metadata = { title: 'Overview' };

/** `/`: the overview. */
export default function Page() {
  return (
    <Suspense fallback={<LoadingState />}>
      <OverviewPage />
    </Suspense>
  );
}
