'use client';

import { createContext, useContext, type ReactNode } from 'react';
import { DEFAULT_COLLECTOR_URL } from '@/server/collector-url';

const CollectorUrlContext = createContext<string>(DEFAULT_COLLECTOR_URL);

/** Makes the collector's address (read on the server from COLLECTOR_URL) available to messages that mention it. */
export function CollectorUrlProvider({ url, children }: { url: string; children: ReactNode }) {
  return <CollectorUrlContext.Provider value={url}>{children}</CollectorUrlContext.Provider>;
}

/** The collector's base URL, for telling users where the SDK should send data. Display only. */
export function useCollectorUrl(): string {
  return useContext(CollectorUrlContext);
}
