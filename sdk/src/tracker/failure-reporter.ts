import { diag } from '@opentelemetry/api';

/** Receives an exception the tracker swallowed instead of throwing it into the host app. */
export type FailureReporter = (where: string, error: unknown) => void;

/**
 * A reporter that tells OpenTelemetry's `diag` logger about the first
 * failure only: a broken provider would otherwise fail on every call and
 * flood the host's logs.
 */
export function createFailureReporter(): FailureReporter {
  let reported = false;
  return (where, error) => {
    if (reported) return;
    reported = true;
    try {
      diag.warn(`@tunnelvision/sdk: ${where} failed; telemetry may be incomplete (further failures are not reported)`, error);
    } catch {
      // diag itself is host-provided; nothing more we can do.
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
