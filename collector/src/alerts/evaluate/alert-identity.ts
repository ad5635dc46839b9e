import { createHash } from 'node:crypto';
import type { GroupLabels } from '../signals/signal-reader.js';
import { groupKey } from '../signals/signal-reader.js';

/** Stable per rule and label group, across episodes and replicas. */
export function alertFingerprint(ruleId: string, labels: GroupLabels): string {
  return createHash('sha256').update(`${ruleId}\n${groupKey(labels)}`).digest('hex').slice(0, 16);
}

/** One episode of an alert: its fingerprint and onset. */
export function alertEpisodeId(fingerprint: string, activeAt: number): string {
  return `${fingerprint}-${activeAt}`;
}

/**
 * The Idempotency-Key of one notification: the same for every retry and for
 * every replica that might send it (it depends only on stored state), and
 * different for each transition and each reminder.
 */
export function notificationKey(episodeId: string, status: 'firing' | 'resolved', repeat: number): string {
  return `${episodeId}:${status}:${repeat}`;
}
