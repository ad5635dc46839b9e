import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { AppShell } from '@/layout/AppShell';
import { DEFAULT_COLLECTOR_URL, readCollectorUrl } from '@/server/collector-url';
import './globals.css';

/** Title template and description for every page. */
export const metadata: Metadata = {
  title: { default: 'TunnelVision', template: '%s · TunnelVision' },
  description: 'WebSocket connection drops, reconnect storms and lost messages, made visible.',
};

/** Root layout. Rendered per request, so COLLECTOR_URL is read at run time, not baked in at build time. */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  const setting = readCollectorUrl();
  const collectorUrl = setting.ok ? setting.url : (process.env.COLLECTOR_URL ?? DEFAULT_COLLECTOR_URL);
  return (
    <html lang="en">
      <body>
        <AppShell collectorUrl={collectorUrl}>{children}</AppShell>
      </body>
    </html>
  );
}
