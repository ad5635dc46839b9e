import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/** A write without the right ingest key; answered with 401. */
export class UnauthorizedError extends Error {
  override readonly name = 'UnauthorizedError';
  readonly code = 'UNAUTHORIZED';
  readonly statusCode = 401;
  constructor(reason: string) {
    super(`${reason}: send the collector's ingest key as "Authorization: Bearer <key>" or "x-tunnelvision-key: <key>"`);
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Requests that write: OTLP ingest, deploy markers, alert rules and silences. Preflights never carry credentials, so they pass. */
export function isWriteRequest(request: FastifyRequest): boolean {
  if (!['POST', 'PUT', 'DELETE', 'PATCH'].includes(request.method)) return false;
  const path = request.url.split('?')[0]!;
  return path.startsWith('/v1/') || path === '/api/v1/deploys' || path.startsWith('/api/v1/alerts/') || path.startsWith('/api/v1/silences');
}

/**
 * Returns a check that throws UnauthorizedError unless the request carries
 * `key`. Keys are compared as SHA-256 digests with timingSafeEqual, so the
 * comparison takes the same time whatever the guess.
 */
export function ingestKeyCheck(key: string): (request: FastifyRequest) => void {
  const expected = digest(key);
  return (request) => {
    const header = request.headers['x-tunnelvision-key'];
    const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const given = (Array.isArray(header) ? header[0] : header) ?? bearer;
    if (given === undefined) throw new UnauthorizedError('Missing ingest key');
    if (!timingSafeEqual(digest(given.trim()), expected)) throw new UnauthorizedError('Wrong ingest key');
  };
}
