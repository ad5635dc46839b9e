import type { EventAttributes, OptionalAttributes } from './event-logger.js';

/** An integer attribute value (ints stay ints on the wire), or undefined when `value` is not a finite number. */
export function intValue(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : undefined;
}

/** A duration in ms, never negative (a clock stepping back must not yield a negative duration). */
export function durationMillis(from: number, to: number): number {
  return Math.max(0, to - from);
}

/** A finite number, or undefined. */
export function finiteValue(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Copies `source`'s defined values onto `target` and returns it; undefined marks an attribute left out. */
export function assignDefined(target: EventAttributes, source: OptionalAttributes): EventAttributes {
  for (const key in source) {
    const value = source[key];
    if (value !== undefined) target[key] = value;
  }
  return target;
}
