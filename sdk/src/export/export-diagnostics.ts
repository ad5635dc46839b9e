import type { ExportProblem } from './export-problem.js';

/**
 * Telling people when telemetry does not arrive, without repeating it for
 * every failed batch.
 *
 * A failing export is reported once per problem and collector: the first
 * `ECONNREFUSED` from a host says so, naming the URL; the batches that
 * fail the same way after it (for logs or metrics alike) say nothing. A
 * different problem (HTTP 404 after ECONNREFUSED) is reported as it
 * appears. When exports to a URL that was reported work again, that is
 * said once too, with how many exports failed meanwhile. A problem that
 * comes back after a recovery is reported again only after
 * REPEAT_AFTER_MILLIS, so a flapping collector costs two lines per ten
 * minutes rather than two per flap.
 *
 * Everything goes to the logger given (warn, and info for a recovery;
 * the Node set-up passes OpenTelemetry's `diag`), and also to the console
 * when `console` is set.
 */

/** A problem reported for a collector is not reported again before this, even after a recovery. */
export const REPEAT_AFTER_MILLIS = 10 * 60_000;

/** Where diagnostics go besides the console; OpenTelemetry's `diag` is one. */
export interface DiagnosticsLogger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
}

/** Options of createExportDiagnostics. */
export interface ExportDiagnosticsOptions {
  /** Also print with console.error / warn / info (the logger always gets them). */
  console: boolean;
  /** Gets every message; none by default. */
  logger?: DiagnosticsLogger;
  /** The clock; Date.now by default. */
  now?: () => number;
}

/** Reports export problems and other things people must hear about. */
export interface ExportDiagnostics {
  /** Says `message` now: logger.warn, and console.warn when enabled. */
  warn(message: string): void;
  /** Says `message` now, as an error: set-up that cannot work. */
  error(message: string): void;
  /**
   * An export to `url` failed; `droppedRecords` log records were lost with it
   * (0 for metrics, whose next export carries the same cumulative values).
   */
  failed(url: string, problem: ExportProblem, droppedRecords?: number): void;
  /** An export to `url` succeeded. */
  succeeded(url: string): void;
  /** The problem exports to `url` have had since they last worked, if they are failing. */
  problemOf(url: string): ExportProblem | undefined;
}

/** A run of failed exports to one URL. */
interface FailingStreak {
  problem: ExportProblem;
  failures: number;
  droppedRecords: number;
  /** Whether a warning was given during this streak (then its end is announced). */
  reported: boolean;
}

/** The scheme, host and port of a URL (the collector), or the URL itself if it does not parse. */
function collectorOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** "1 log record", "2 log records". */
const logRecords = (n: number) => `${n} log record${n === 1 ? '' : 's'}`;

/** Creates the reporter; one per set-up, shared by its exporters. */
export function createExportDiagnostics(options: ExportDiagnosticsOptions): ExportDiagnostics {
  const now = options.now ?? Date.now;
  const streaks = new Map<string, FailingStreak>();
  /** When each problem was last reported, by collector and problem key. */
  const reportedAt = new Map<string, number>();

  const say = (level: keyof DiagnosticsLogger, message: string) => {
    try {
      options.logger?.[level](message);
      if (options.console) console[level](message);
    } catch {
      // A broken logger or console must not break the export.
    }
  };

  return {
    warn: (message) => say('warn', message),
    error: (message) => say('error', message),
    failed(url, problem, droppedRecords = 0) {
      let streak = streaks.get(url);
      if (streak?.problem.key !== problem.key) {
        const collector = collectorOf(url);
        const key = `${collector} ${problem.key}`;
        const last = reportedAt.get(key);
        const report = last === undefined || now() - last >= REPEAT_AFTER_MILLIS;
        // Reported for another URL of the same collector, in a streak still going: then this one's recovery is news too.
        const reportedNearby = [...streaks].some(
          ([other, s]) => s.reported && s.problem.key === problem.key && collectorOf(other) === collector,
        );
        streak = {
          problem,
          failures: streak?.failures ?? 0,
          droppedRecords: streak?.droppedRecords ?? 0,
          reported: report || reportedNearby || streak?.reported === true,
        };
        streaks.set(url, streak);
        if (report) {
          reportedAt.set(key, now());
          const dropped = droppedRecords > 0 ? ` ${logRecords(droppedRecords)} dropped.` : '';
          say(
            'warn',
            `TunnelVision: telemetry export to ${url} failed: ${problem.description}${/[.?!]$/.test(problem.description) ? '' : '.'}${dropped} ` +
              'Later failures like this one are not reported again; a recovery is.',
          );
        }
      }
      streak.failures++;
      streak.droppedRecords += droppedRecords;
    },
    succeeded(url) {
      const streak = streaks.get(url);
      if (streak === undefined) return;
      streaks.delete(url);
      if (!streak.reported) return;
      const dropped = streak.droppedRecords > 0 ? ` (${logRecords(streak.droppedRecords)} dropped)` : '';
      say('info', `TunnelVision: telemetry export to ${url} works again, after ${streak.failures} failed export${streak.failures === 1 ? '' : 's'}${dropped}.`);
    },
    problemOf: (url) => streaks.get(url)?.problem,
  };
}
