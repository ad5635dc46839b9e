import type { MessageSamplingOptions } from './tracker-types.js';
import type { WarningSink } from './tracker-warnings.js';
import { hashToUnitInterval } from './string-hash.js';

/** Decides which successful message journeys are reported. */
export interface MessageSampler {
  /** Whether this message's successful journey is kept; the same for the same id on every tracker. */
  keeps(messageId: string): boolean;
  /** An ack slower than this is reported even for a sampled-out message. */
  readonly slowThresholdMillis: number;
}

const DEFAULT_SUCCESS_RATIO = 1;
const DEFAULT_SLOW_THRESHOLD_MILLIS = 1000;

/**
 * Sampling by message id rather than by coin toss, so the client and the
 * server of one message keep (or skip) the same journey and a support
 * lookup sees both sides. Out-of-range values are clamped and logged: the
 * SDK never throws into the host app, not even for bad options.
 */
export function createMessageSampler(options: MessageSamplingOptions | undefined, warn: WarningSink): MessageSampler {
  const successRatio = clamp(warn, 'successRatio', options?.successRatio, DEFAULT_SUCCESS_RATIO, 0, 1);
  const slowThresholdMillis = clamp(warn, 'slowThresholdMillis', options?.slowThresholdMillis, DEFAULT_SLOW_THRESHOLD_MILLIS, 0, Infinity);
  if (successRatio >= 1) return { keeps: () => true, slowThresholdMillis };
  if (successRatio <= 0) return { keeps: () => false, slowThresholdMillis };
  return { keeps: (messageId) => hashToUnitInterval(messageId) < successRatio, slowThresholdMillis };
}

function clamp(warn: WarningSink, name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    warn(`@tunnelvision/sdk: sampling.${name} must be a number; using ${fallback}`);
    return fallback;
  }
  if (value < min || value > max) {
    const clamped = Math.min(max, Math.max(min, value));
    warn(`@tunnelvision/sdk: sampling.${name} ${value} is out of range; using ${clamped}`);
    return clamped;
  }
  return value;
}
