/** Shown until the first answer arrives; later refreshes keep the old data on screen instead. */
export function LoadingState({ label = 'Loading…' }: { label?: string }) {
  return (
    <div role="status" aria-live="polite" className="tv-state tv-state-loading" data-state="loading">
      <span className="tv-spinner" aria-hidden="true" />
      {label}
    </div>
  );
}
