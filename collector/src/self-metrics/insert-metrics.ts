import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { BatchWriterStats, InsertRows } from '../ingest/batch-writer.js';
import { TABLE_NAMES } from '../store/table-names.js';

const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const BATCH_BUCKETS_ROWS = [1, 10, 100, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 100_000];

/**
 * The batch writer and its inserts into ClickHouse. The rows it holds are
 * read from the writer at scrape time. The collector has no disk spool;
 * when it gets one, the spool's size belongs here, read the same way.
 */
export class InsertMetrics {
  private readonly duration: Histogram<'table'>;
  private readonly batchRows: Histogram<'table'>;
  private readonly failures: Counter<'table'>;
  private writer: { stats(): BatchWriterStats } | undefined;

  constructor(registry: Registry) {
    this.duration = new Histogram({
      name: 'tunnelvision_insert_duration_seconds',
      help: 'Time of each batch insert into ClickHouse, failed ones included, by table.',
      labelNames: ['table'],
      buckets: DURATION_BUCKETS_SECONDS,
      registers: [registry],
    });
    this.batchRows = new Histogram({
      name: 'tunnelvision_insert_batch_rows',
      help: 'Rows in each batch insert into ClickHouse, failed ones included, by table.',
      labelNames: ['table'],
      buckets: BATCH_BUCKETS_ROWS,
      registers: [registry],
    });
    this.failures = new Counter({
      name: 'tunnelvision_insert_failures_total',
      help: 'Batch inserts ClickHouse did not take, by table; their requests were answered 503.',
      labelNames: ['table'],
      registers: [registry],
    });
    for (const table of TABLE_NAMES) this.failures.inc({ table }, 0);
    // `this` inside collect is the gauge, so the writer is reached through a closure.
    const readBuffered = () => this.writer?.stats().bufferedRows;
    new Gauge({
      name: 'tunnelvision_batch_buffered_rows',
      help: 'Rows the batch writer holds, waiting or being inserted; at COLLECTOR_MAX_BUFFERED_ROWS requests get 429.',
      registers: [registry],
      collect() {
        const rows = readBuffered();
        if (rows !== undefined) this.set(rows);
      },
    });
    const readStats = () => this.writer?.stats();
    const spoolGauge = (name: string, help: string, read: (stats: BatchWriterStats) => number) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          const stats = readStats();
          if (stats) this.set(read(stats));
        },
      });
    spoolGauge('tunnelvision_spool_blocks', 'Blocks the store refused, waiting in the outage spool on disk.', (s) => s.spooledBlocks);
    spoolGauge('tunnelvision_spool_bytes', 'Bytes the outage spool holds; at COLLECTOR_SPOOL_MAX_BYTES a store outage answers 503.', (s) => s.spooledBytes);
    spoolGauge('tunnelvision_spool_rows_spooled', 'Rows written to the outage spool since start (acknowledged to clients while the store was down).', (s) => s.rowsSpooled);
    spoolGauge('tunnelvision_spool_rows_replayed', 'Rows replayed from the outage spool into the store since start.', (s) => s.rowsReplayed);
  }

  /** Reads the buffered rows from `writer` at each scrape. */
  watch(writer: { stats(): BatchWriterStats }): void {
    this.writer = writer;
  }

  /**
   * Wraps the writer's insert so each call is timed, sized and, when it
   * throws, counted as a failure. Labelled by table only: a label per
   * tenant database would grow the series with the tenants.
   */
  instrument(insert: InsertRows): InsertRows {
    return async (target, block, token) => {
      const { table } = target;
      this.batchRows.observe({ table }, block.rows);
      const stop = this.duration.startTimer({ table });
      try {
        await insert(target, block, token);
      } catch (err) {
        this.failures.inc({ table });
        throw err;
      } finally {
        stop();
      }
    };
  }
}
