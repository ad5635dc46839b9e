'use client';

/** Shown when a page fails to render; the rest of the dashboard keeps working. */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="tv-state tv-state-error" data-state="error">
      <p className="tv-state-title">This page failed to render.</p>
      <p>{error.message || 'An unexpected error occurred.'} Reload the page, or go back to the Overview.</p>
      <button type="button" className="tv-button" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
