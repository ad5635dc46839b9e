import { RowBinaryWriter } from './row-binary-writer.js';

/** The column types the RowBinary encoder writes: those of `logs`. */
export type ColumnType =
  | 'DateTime64(9)'
  | 'String'
  | 'LowCardinality(String)'
  | 'UInt8'
  | 'UInt16'
  | 'UInt32'
  | 'Nullable(Int64)'
  | 'Nullable(UInt32)'
  | 'Nullable(Float64)'
  | 'Nullable(Bool)'
  | 'Map(LowCardinality(String), String)';

type Row = Record<string, unknown>;

type Columns = ReadonlyArray<readonly [name: string, type: ColumnType]>;

/** Bytes a row of `logs` takes, about; the writer grows past it when needed. */
const BYTES_PER_ROW_GUESS = 512;

/**
 * The header of RowBinaryWithNamesAndTypes: every column's name and type,
 * so a block read back from the outage spool says how to insert it
 * whatever the table's column order.
 */
export function rowBinaryHeader(columns: Columns): Buffer {
  const out = new RowBinaryWriter(columns.length * 48);
  out.varUInt(columns.length);
  for (const [name] of columns) out.string(name);
  for (const [, type] of columns) out.string(type);
  return out.bytes();
}

/**
 * Rows in RowBinary, to follow rowBinaryHeader (rows encoded apart
 * concatenate). Row values are the ones the mappers build for JSONEachRow
 * (times as `seconds.nanoseconds` text, maps as objects, null for an empty
 * Nullable); a column a row leaves out is written as its type's default,
 * as ClickHouse fills it.
 */
export function encodeRowBinary(columns: Columns, rows: readonly Row[]): Buffer {
  const out = new RowBinaryWriter(rows.length * BYTES_PER_ROW_GUESS);
  const names = columns.map(([name]) => name);
  const writers = columns.map(([, type]) => WRITERS[type]);
  for (const row of rows) {
    for (let c = 0; c < names.length; c++) writers[c]!(out, row[names[c]!]);
  }
  return out.bytes();
}

type ValueWriter = (out: RowBinaryWriter, value: unknown) => void;

const text: ValueWriter = (out, value) => out.string(value === undefined || value === null ? '' : String(value));

/** Nullable: a flag byte, 1 for NULL, and the value after a 0. */
const nullable =
  (write: ValueWriter): ValueWriter =>
  (out, value) => {
    if (value === undefined || value === null) out.uint8(1);
    else {
      out.uint8(0);
      write(out, value);
    }
  };

const WRITERS: Record<ColumnType, ValueWriter> = {
  String: text,
  'LowCardinality(String)': text,
  'DateTime64(9)': (out, value) => writeTime(out, value === undefined ? '0.0' : String(value)),
  UInt8: (out, value) => out.uint8(Number(value ?? 0)),
  UInt16: (out, value) => out.uint16(Number(value ?? 0)),
  UInt32: (out, value) => out.uint32(Number(value ?? 0)),
  'Nullable(Int64)': nullable((out, value) => out.int64(Number(value))),
  'Nullable(UInt32)': nullable((out, value) => out.uint32(Number(value))),
  'Nullable(Float64)': nullable((out, value) => out.float64(Number(value))),
  'Nullable(Bool)': nullable((out, value) => out.uint8(value === true ? 1 : 0)),
  'Map(LowCardinality(String), String)': (out, value) => out.stringMap(value as Record<string, string> | undefined),
};

/**
 * A DateTime64(9) as the mappers spell it, `seconds.nanoseconds`
 * (toClickHouseTime), as its Int64 count of nanoseconds.
 */
function writeTime(out: RowBinaryWriter, text: string): void {
  const point = text.indexOf('.');
  const seconds = Number(point === -1 ? text : text.slice(0, point));
  const nanos = point === -1 ? 0 : Number(text.slice(point + 1, point + 10).padEnd(9, '0'));
  out.int64Of(seconds, nanos);
}
