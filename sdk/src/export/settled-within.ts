import { unrefTimeout } from '../shared/unref-timers.js';

/**
 * Waits for `work` to settle, but at most `millis`: resolves true when it
 * settled (fulfilled or rejected) in time, false when the time ran out;
 * the work then goes on unobserved. Never rejects, and its timer never
 * keeps a process alive.
 */
export function settledWithin(work: Promise<unknown>, millis: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = unrefTimeout(() => resolve(false), millis);
    const settled = () => {
      clearTimeout(timer);
      resolve(true);
    };
    work.then(settled, settled);
  });
}
