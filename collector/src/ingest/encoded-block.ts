import type { TableName } from '../store/table-names.js';
import { LOGS_COLUMNS } from '../store/logs-columns.js';
import { encodeRowBinary, rowBinaryHeader } from './row-binary-block.js';

type Row = Record<string, unknown>;

/**
 * How a block's bytes are spelled, as ClickHouse names the format.
 * `logs`, which takes nearly every row, goes as RowBinaryWithNamesAndTypes,
 * which the engine reads without parsing text; the other tables as
 * JSONEachRow, as do the spooled blocks of earlier versions.
 */
export type BlockFormat = 'JSONEachRow' | 'RowBinaryWithNamesAndTypes';

/**
 * The rows of one insert, encoded once: the same bytes are noted in
 * flight, sent to ClickHouse and, when it refuses them, spooled.
 */
export interface EncodedBlock {
  readonly rows: number;
  readonly format: BlockFormat;
  readonly body: Buffer;
}

/**
 * Rows of one table in its block's format, without the block's header:
 * encoded as each request is taken, so the writer holds bytes rather than
 * row objects while they wait (the garbage collector copied every waiting
 * row again and again), and joined into a block when it is written.
 */
export interface EncodedRows {
  readonly rows: number;
  readonly bytes: Buffer;
}

const LOGS_HEADER = rowBinaryHeader(LOGS_COLUMNS);

export function encodeTableRows(table: TableName, rows: readonly Row[]): EncodedRows {
  return { rows: rows.length, bytes: table === 'logs' ? encodeRowBinary(LOGS_COLUMNS, rows) : jsonLines(rows) };
}

/** One block of a table's encoded rows, in order. */
export function blockOf(table: TableName, parts: readonly EncodedRows[]): EncodedBlock {
  const rows = parts.reduce((n, part) => n + part.rows, 0);
  const bytes = parts.map((part) => part.bytes);
  if (table === 'logs') return { rows, format: 'RowBinaryWithNamesAndTypes', body: Buffer.concat([LOGS_HEADER, ...bytes]) };
  return { rows, format: 'JSONEachRow', body: bytes.length === 1 ? bytes[0]! : Buffer.concat(bytes) };
}

/** A table's rows as one block, in the format it is inserted in. */
export function encodeBlock(table: TableName, rows: readonly Row[]): EncodedBlock {
  return blockOf(table, [encodeTableRows(table, rows)]);
}

/** Rows as JSONEachRow, which every table takes. */
export function encodeRows(rows: readonly Row[]): EncodedBlock {
  return { rows: rows.length, format: 'JSONEachRow', body: jsonLines(rows) };
}

function jsonLines(rows: readonly Row[]): Buffer {
  let text = '';
  for (const row of rows) text += `${JSON.stringify(row)}\n`;
  return Buffer.from(text);
}
