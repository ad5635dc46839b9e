import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { ExportDiagnostics } from '../export-diagnostics.js';
import { problemFromExportError } from './export-error-problem.js';

/** An OpenTelemetry export result (`ExportResult` of @opentelemetry/core, named through sdk-logs). */
export type ExportResult = Parameters<Parameters<LogRecordExporter['export']>[1]>[0];

/** ExportResultCode.SUCCESS and .FAILED of @opentelemetry/core (not a dependency of this package). */
const SUCCESS = 0 as ExportResult['code'];
const FAILED = 1 as ExportResult['code'];

/** The error of an export given up at shutdown. */
const abandonedError = () => new Error('TunnelVision: export abandoned: shutdown stopped waiting');

/** What an ExportObserver watches and tells. */
export interface ExportObserverOptions {
  /** The URL the exporter sends to, for the messages. */
  url: string;
  /** Where problems are reported. */
  diagnostics: ExportDiagnostics;
  /** The exporter's time budget per export (its timeoutMillis), for the messages. */
  exportTimeoutMillis: number;
  /** Whether the items of a failed export are lost (log records) or sent again later (cumulative metrics). */
  failureDropsItems: boolean;
}

/** An export handed to the exporter that has not reported its result. */
interface PendingExport {
  readonly items: number;
  /** The caller's callback; set to undefined once it has been called. */
  callback: ((result: ExportResult) => void) | undefined;
}

/**
 * Watches the exports of one OpenTelemetry exporter through their results:
 * reports failures and recoveries to the diagnostics, and keeps count of
 * what is in flight and what has settled, so a shutdown that gives up can
 * say what it abandoned. It sees only what the exporter reports, never its
 * internals.
 *
 * abandon() (a shutdown that stopped waiting) answers the exports in
 * flight as failed at once and every later one without starting it, so the
 * SDK's processors finish instead of sending their next batch; the
 * exporter's own requests run out at their timeout, and their results are
 * still reported.
 */
export class ExportObserver {
  private readonly pending = new Set<PendingExport>();
  private settled = 0;
  private abandoned = false;

  constructor(private readonly options: ExportObserverOptions) {}

  /** The URL exported to. */
  get url(): string {
    return this.options.url;
  }

  /** Exports started and not finished, and the items (records, data points) in them. */
  inFlight(): { exports: number; items: number } {
    let items = 0;
    for (const entry of this.pending) items += entry.items;
    return { exports: this.pending.size, items };
  }

  /** Items whose export finished, successfully or not. */
  settledItems(): number {
    return this.settled;
  }

  /**
   * Runs one export of `items` items through `run`, observes its result and
   * passes it on to `resultCallback` unchanged. An exporter that throws
   * instead of reporting counts as a failed export.
   */
  observe(items: number, run: (done: (result: ExportResult) => void) => void, resultCallback: (result: ExportResult) => void): void {
    if (this.abandoned) {
      resultCallback({ code: FAILED, error: abandonedError() });
      return;
    }
    const entry: PendingExport = { items, callback: resultCallback };
    this.pending.add(entry);
    const done = (result: ExportResult) => {
      if (!this.pending.delete(entry)) return;
      this.settled += items;
      this.report(result, items);
      const callback = entry.callback;
      entry.callback = undefined;
      callback?.(result);
    };
    try {
      run(done);
    } catch (error) {
      done({ code: FAILED, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  /** Answers the exports in flight as failed now, and every later export without running it. */
  abandon(): void {
    this.abandoned = true;
    for (const entry of this.pending) {
      const callback = entry.callback;
      entry.callback = undefined;
      callback?.({ code: FAILED, error: abandonedError() });
    }
  }

  private report(result: ExportResult, items: number): void {
    try {
      if (result.code === SUCCESS) {
        this.options.diagnostics.succeeded(this.options.url);
      } else {
        const problem = problemFromExportError(result.error, this.options.exportTimeoutMillis);
        this.options.diagnostics.failed(this.options.url, problem, this.options.failureDropsItems ? items : 0);
      }
    } catch {
      // Reporting must never break the export pipeline.
    }
  }
}
