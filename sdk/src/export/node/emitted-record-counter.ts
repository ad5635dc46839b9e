import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';

/**
 * A LogRecordProcessor that only counts the records emitted, until it is
 * shut down. Placed beside the batch processor, it tells how many records
 * have not reached the collector yet (emitted minus settled by the
 * exporter), including those still queued in the batch processor, which
 * does not expose its queue.
 */
export class EmittedRecordCounter implements LogRecordProcessor {
  private count = 0;
  private stopped = false;

  /** Records emitted before shutdown. */
  get emitted(): number {
    return this.count;
  }

  onEmit(): void {
    if (!this.stopped) this.count++;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }
}
