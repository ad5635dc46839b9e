import type { AlertSeverity } from '@/collector-api/types';

/** An alert episode as a time chart shades it. */
export interface AlertPeriod {
  /** The alert episode's id. */
  id: string;
  /** The rule's name. */
  title: string;
  severity: AlertSeverity;
  state: 'pending' | 'firing' | 'resolved';
  /** The alert's one-sentence summary. */
  summary: string;
  /** "service=chat-web, environment=production" */
  labels: string;
  /** Pending since, epoch ms. */
  start: number;
  /** When it fired, epoch ms; null if it has not (yet). */
  firedAt: number | null;
  /** When it resolved, epoch ms; null while still active (shaded to the chart's right edge). */
  end: number | null;
  silenced: boolean;
}
