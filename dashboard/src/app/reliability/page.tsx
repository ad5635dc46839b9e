import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LoadingState } from '@/shared/LoadingState';
import { ReliabilityPage } from '@/reliability/ReliabilityPage';

/** Page title, after the layout's template. */
export const metadata: Metadata = { title: 'Reliability' };

/** `/reliability?a=<attr>:<value>&b=<attr>:<value>&window=30d`: objectives and a cohort comparison. */
export default function Page() {
  return (
    <Suspense fallback={<LoadingState />}>
      <ReliabilityPage />
    </Suspense>
  );
}
