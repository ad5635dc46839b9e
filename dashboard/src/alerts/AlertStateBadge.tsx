const STATE_TONE: Record<string, string> = { firing: 'bad', pending: 'warn', resolved: 'good', inactive: 'quiet' };
const STATE_WORDS: Record<string, string> = { firing: 'Firing', pending: 'Pending', resolved: 'Resolved', inactive: 'Inactive' };

/** A rule's or alert's state as a badge: firing, pending, resolved or inactive. */
export function AlertStateBadge({ state }: { state: 'firing' | 'pending' | 'resolved' | 'inactive' }) {
  return (
    <span className={`tv-badge tv-badge-${STATE_TONE[state]}`} data-badge="state">
      {STATE_WORDS[state]}
    </span>
  );
}
