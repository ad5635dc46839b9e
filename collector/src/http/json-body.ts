import { QueryParamError } from '../errors.js';

/** A JSON request body (taken as raw bytes by the server) parsed, or a 400 naming what is wrong. */
export function jsonBody(raw: unknown): unknown {
  const buffer = (raw as Buffer | undefined) ?? Buffer.alloc(0);
  try {
    return JSON.parse(buffer.toString('utf8'));
  } catch (err) {
    throw new QueryParamError([`body: not valid JSON (${(err as Error).message})`]);
  }
}
