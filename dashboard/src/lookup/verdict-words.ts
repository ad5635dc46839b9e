import type { VerdictKind } from '@/collector-api/types';

/** Short names and tones for the collector's message verdicts. */
export const VERDICT_WORDS: Record<VerdictKind, { label: string; tone: 'good' | 'warn' | 'bad' }> = {
  delivered: { label: 'Delivered', tone: 'good' },
  delivered_late: { label: 'Delivered late', tone: 'warn' },
  replayed: { label: 'Replayed, then delivered', tone: 'warn' },
  duplicate_suppressed: { label: 'Duplicate suppressed', tone: 'warn' },
  dropped: { label: 'Dropped', tone: 'bad' },
  never_acked: { label: 'Never acknowledged', tone: 'bad' },
  in_flight: { label: 'In flight', tone: 'warn' },
  queued: { label: 'Queued offline', tone: 'warn' },
  received: { label: 'Received', tone: 'good' },
};
