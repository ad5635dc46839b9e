import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AlertsPage } from '@/alerts/AlertsPage';
import { LoadingState } from '@/shared/LoadingState';

/** Page title, after the layout's template. */
export const metadata: Metadata = { title: 'Alerts' };

/** `/alerts?range=1h`: rules, alert episodes and silences. */
export default function Page() {
  return (
    <Suspense fallback={<LoadingState />}>
      <AlertsPage />
    </Suspense>
  );
}
