/** A timer handle as returned by the platform's setTimeout / setInterval. */
export type TimerHandle = ReturnType<typeof setTimeout>;

/**
 * setTimeout whose timer never keeps a process alive (`unref()`ed where the
 * platform has it: Node, Deno, Bun; browsers return plain numbers) and
 * whose callback never throws into the host app.
 */
export function unrefTimeout(callback: () => void, delayMillis: number): TimerHandle {
  return unref(setTimeout(() => swallowing(callback), delayMillis));
}

/** setInterval counterpart of `unrefTimeout`. */
export function unrefInterval(callback: () => void, intervalMillis: number): TimerHandle {
  return unref(setInterval(() => swallowing(callback), intervalMillis));
}

function swallowing(callback: () => void): void {
  try {
    callback();
  } catch {
    // Background work never throws into the host app.
  }
}

function unref(handle: TimerHandle): TimerHandle {
  (handle as { unref?: () => void }).unref?.();
  return handle;
}
