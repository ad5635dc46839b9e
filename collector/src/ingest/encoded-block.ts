type Row = Record<string, unknown>;

/**
 * The rows of one insert, encoded once as JSONEachRow: the same bytes are
 * noted in flight, sent to ClickHouse and, when it refuses them, spooled.
 */
export interface EncodedBlock {
  readonly rows: number;
  readonly body: Buffer;
}

export function encodeRows(rows: readonly Row[]): EncodedBlock {
  let text = '';
  for (const row of rows) text += `${JSON.stringify(row)}\n`;
  return { rows: rows.length, body: Buffer.from(text) };
}
