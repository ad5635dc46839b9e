import type { WarningSink } from './tracker-warnings.js';

/** Receives an exception the tracker swallowed instead of throwing it into the host app. */
export type FailureReporter = (where: string, error: unknown) => void;

/**
 * A reporter that warns about the first failure only: a broken provider
 * would otherwise fail on every call and flood the host's logs.
 */
export function createFailureReporter(warn: WarningSink): FailureReporter {
  let reported = false;
  return (where, error) => {
    if (reported) return;
    reported = true;
    try {
      warn(`@tunnelvision/sdk: ${where} failed; telemetry may be incomplete (further failures are not reported)`, error);
    } catch {
      // The sink is host-provided (diag, the console); nothing more we can do.
    }
  };
}

/** Runs `fn`, returning `fallback` and reporting instead of throwing when it fails. */
export function guarded<T>(report: FailureReporter, where: string, fallback: T, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    report(where, error);
    return fallback;
  }
}
