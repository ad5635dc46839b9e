import { formatShare } from './reliability-words';

/** The error budget left in words, and as a bar for a glance: full when untouched, empty and red once overspent. */
export function ErrorBudget({ remaining }: { remaining: number }) {
  const overspent = remaining < 0;
  const tone = overspent ? 'bad' : remaining < 0.25 ? 'warn' : 'good';
  return (
    <div className={`tv-budget tv-budget-${tone}`} data-budget={overspent ? 'overspent' : 'left'}>
      <p className="tv-budget-text">
        {overspent
          ? `Error budget overspent: ${formatShare(1 - remaining, 0)} of it used`
          : `${formatShare(remaining, 1)} of the error budget left`}
      </p>
      {/* The sentence above says it all; the bar repeats it for sighted readers. */}
      <div className="tv-budget-track" aria-hidden="true">
        <div className="tv-budget-fill" style={{ width: `${Math.max(0, Math.min(1, remaining)) * 100}%` }} />
      </div>
    </div>
  );
}
