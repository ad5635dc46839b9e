'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback } from 'react';

/** The page's state as it lives in the URL, so every view can be shared as a link. */
export interface SearchState {
  /** The current search params (read-only). */
  params: URLSearchParams;
  /**
   * Sets (or, with undefined or '', removes) the given params and navigates
   * to the new URL: a new history entry with `push`, in place with `replace`.
   */
  update: (patch: Record<string, string | undefined>, mode?: 'push' | 'replace') => void;
}

/** Reads and writes the URL's search params. Use inside a Suspense boundary. */
export function useSearchState(): SearchState {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const update = useCallback(
    (patch: Record<string, string | undefined>, mode: 'push' | 'replace' = 'push') => {
      const next = new URLSearchParams(searchParams.toString());
      for (const [key, value] of Object.entries(patch)) {
        if (value === undefined || value === '') next.delete(key);
        else next.set(key, value);
      }
      const query = next.toString();
      const url = query ? `${pathname}?${query}` : pathname;
      if (mode === 'push') router.push(url, { scroll: false });
      else router.replace(url, { scroll: false });
    },
    [router, pathname, searchParams],
  );
  return { params: new URLSearchParams(searchParams.toString()), update };
}
