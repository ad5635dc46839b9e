import type { ReactNode } from 'react';

/** Nothing to show yet, and what to do about it. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div role="status" className="tv-state tv-state-empty" data-state="empty">
      <p className="tv-state-title">{title}</p>
      {children}
    </div>
  );
}
