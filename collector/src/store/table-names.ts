/** Tables the ingest path writes to (created by collector/migrations). */
export const TABLE_NAMES = [
  'logs',
  'metrics_sum',
  'metrics_gauge',
  'metrics_histogram',
  'metrics_exponential_histogram',
  'metrics_summary',
  'traces',
] as const;

export type TableName = (typeof TABLE_NAMES)[number];

/** Rows bound for one table. */
export interface TableRows {
  table: TableName;
  rows: Record<string, unknown>[];
}

/** A table of one tenant's database: where a block is inserted. */
export interface InsertTarget {
  readonly database: string;
  readonly table: TableName;
}
