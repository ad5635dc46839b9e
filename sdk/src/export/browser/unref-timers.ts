/**
 * Timers that never keep a process alive: `unref()`ed where the platform
 * has it (Node, Deno, Bun). Browsers return plain numbers, and there is
 * nothing to unref.
 */

/** Timer handle as returned by the platform's setTimeout / setInterval. */
export type TimerHandle = ReturnType<typeof setTimeout>;

const unref = (handle: TimerHandle): TimerHandle => {
  (handle as { unref?: () => void }).unref?.();
  return handle;
};

/** setTimeout, unref'd. */
export function unrefTimeout(callback: () => void, delayMillis: number): TimerHandle {
  return unref(setTimeout(callback, delayMillis));
}

/** setInterval, unref'd. */
export function unrefInterval(callback: () => void, intervalMillis: number): TimerHandle {
  return unref(setInterval(callback, intervalMillis));
}
