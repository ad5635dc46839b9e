import type { Metadata } from 'next';
import { Suspense } from 'react';
import { DeploysPage } from '@/deploys/DeploysPage';
import { LoadingState } from '@/shared/LoadingState';

/** Page title, after the layout's template. */
export const metadata: Metadata = { title: 'Deploys' };

/** `/deploys?id=<deploy>&compare=<deploy>&window=15m`: deploy impact. */
export default function Page() {
  return (
    <Suspense fallback={<LoadingState />}>
      <DeploysPage />
    </Suspense>
  );
}
