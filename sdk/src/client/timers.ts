/** A timer handle from setTimeout / setInterval in Node or a browser. */
export type TimerHandle = ReturnType<typeof setTimeout>;

/**
 * setTimeout whose timer never keeps a Node process alive (unref()'d when
 * the platform supports it) and whose callback never throws into the host.
 */
export function setUnrefTimeout(fn: () => void, delayMillis: number): TimerHandle {
  const timer = setTimeout(() => {
    try {
      fn();
    } catch {
      // Background work never throws into the host app.
    }
  }, delayMillis);
  unref(timer);
  return timer;
}

/** setInterval counterpart of `setUnrefTimeout`. */
export function setUnrefInterval(fn: () => void, intervalMillis: number): TimerHandle {
  const timer = setInterval(() => {
    try {
      fn();
    } catch {
      // Background work never throws into the host app.
    }
  }, intervalMillis);
  unref(timer);
  return timer;
}

function unref(timer: unknown): void {
  const candidate = timer as { unref?: () => void } | undefined;
  if (typeof candidate?.unref === 'function') candidate.unref();
}
