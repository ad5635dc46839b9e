import type { BoundedQueue } from './bounded-queue.js';
import { packJson, type JsonItem, type PackedBody } from './json-packer.js';
import type { OtlpHttpSender } from './otlp-http-sender.js';
import { unrefTimeout, type TimerHandle } from '../../shared/unref-timers.js';
import type { ExportDiagnostics } from '../export-diagnostics.js';

/** Log export counters, updated as bodies complete. */
export interface LogExportCounters {
  /** Records the collector stored. */
  exportedLogRecords: number;
  /** Records given up on: retries ran out, or the collector refused the request. */
  failedLogRecords: number;
  /** Records the collector refused one by one in a partial success. */
  rejectedLogRecords: number;
}

/** Settings of the log exporter. */
export interface LogBatchExporterOptions {
  /** Encoded records waiting. */
  queue: BoundedQueue<JsonItem>;
  /** Sends bodies. */
  sender: OtlpHttpSender;
  /** The collector's /v1/logs URL. */
  url: string;
  /** Records per export; reaching it starts an export at once. */
  maxBatchSize: number;
  /** Longest a record waits before an export starts. */
  flushIntervalMillis: number;
  /** Largest body in UTF-8 bytes (the keepalive limit); a batch is split to fit. */
  maxBodyBytes: number;
  /** Counters to update. */
  counters: LogExportCounters;
  /** Where failures and recoveries are reported (once per problem). */
  diagnostics: ExportDiagnostics;
}

/** Exports buffered log records in batches, one export at a time. */
export interface LogBatchExporter {
  /** Call after each record is buffered. */
  onEmit(): void;
  /** Exports everything buffered now, in order; resolves when sent or given up. Never rejects. */
  flush(): Promise<void>;
  /**
   * Sends everything buffered at once without waiting (the page is going
   * away); nothing of it, nor of the exports under way, is tried after
   * `deadlineMillis` (a Date.now() time).
   */
  flushNow(deadlineMillis: number): void;
  /** Stops the timer; flush() still works. */
  stop(): void;
  /** Records in requests that have not completed. */
  readonly inFlightRecords: number;
}

/**
 * Creates the exporter. An export starts when a batch is full or when the
 * oldest buffered record has waited `flushIntervalMillis`; no timer runs
 * while the buffer is empty. When a body still fails after its retries,
 * the export stops there and the rest waits for the next one, so a
 * collector outage costs one retry sequence per interval rather than one
 * per batch (the bounded buffer drops the oldest meanwhile).
 */
export function createLogBatchExporter(options: LogBatchExporterOptions): LogBatchExporter {
  const { queue, sender, counters, diagnostics } = options;
  let chain: Promise<void> = Promise.resolve();
  let running = 0;
  let timer: TimerHandle | undefined;
  let stopped = false;
  let inFlightRecords = 0;

  /** Sends one body and counts the outcome; true unless a transient failure outlasted the retries. */
  const sendBody = async (packed: PackedBody, deadlineMillis?: number): Promise<boolean> => {
    inFlightRecords += packed.items;
    const result = await sender.send(options.url, packed, deadlineMillis);
    inFlightRecords -= packed.items;
    if (result.status === 'success') {
      counters.exportedLogRecords += packed.items - result.rejected;
      counters.rejectedLogRecords += result.rejected;
      diagnostics.succeeded(options.url);
      return true;
    }
    counters.failedLogRecords += packed.items;
    // Said once per problem by the diagnostics, with the records dropped.
    if (result.problem) diagnostics.failed(options.url, result.problem, packed.items);
    return !result.retryable;
  };
  const exportBatches = async (all: boolean) => {
    do {
      for (const packed of packJson(queue.take(options.maxBatchSize), options.maxBodyBytes)) {
        if (!(await sendBody(packed))) return;
      }
    } while (queue.size > 0 && (all || queue.size >= options.maxBatchSize));
  };
  const disarm = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const arm = () => {
    if (running === 0 && timer === undefined && !stopped && queue.size > 0) {
      timer = unrefTimeout(() => {
        timer = undefined;
        void run(false);
      }, options.flushIntervalMillis);
    }
  };
  const run = (all: boolean): Promise<void> => {
    disarm();
    running++;
    chain = chain
      .then(() => exportBatches(all))
      .catch(() => undefined)
      .then(() => {
        running--;
        arm();
      });
    return chain;
  };

  return {
    onEmit() {
      if (queue.size >= options.maxBatchSize && running === 0) void run(false);
      else arm();
    },
    flush: () => run(true),
    flushNow(deadlineMillis) {
      sender.hurry(deadlineMillis);
      for (const packed of packJson(queue.take(queue.size), options.maxBodyBytes)) void sendBody(packed, deadlineMillis);
    },
    stop() {
      stopped = true;
      disarm();
    },
    get inFlightRecords() {
      return inFlightRecords;
    },
  };
}
