import { Transform, type Readable } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';

/** A Content-Encoding the collector does not decode; answered with 415. */
export class UnsupportedEncodingError extends Error {
  override readonly name = 'UnsupportedEncodingError';
  readonly code = 'UNSUPPORTED_ENCODING';
  readonly statusCode = 415;
  constructor(encoding: string) {
    super(`Content-Encoding "${encoding}" is not supported; send gzip or identity`);
  }
}

/** Stream fastify reads the body from; it reports raw bytes so Content-Length checks still hold. */
type CountedStream = Gunzip & { receivedEncodedLength?: number };

/**
 * Returns the stream to parse the body from: the request itself, or a gunzip
 * of it. Fastify applies its body limit to the bytes this stream yields, so
 * the limit holds after decompression and a gzip bomb stops at the limit
 * instead of filling memory.
 */
export function decodedBodyStream(payload: Readable, contentEncoding: string | undefined): Readable {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return payload;
  if (encoding !== 'gzip' && encoding !== 'x-gzip') throw new UnsupportedEncodingError(encoding);
  const gunzip = createGunzip() as CountedStream;
  gunzip.receivedEncodedLength = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      gunzip.receivedEncodedLength! += chunk.length;
      done(null, chunk);
    },
  });
  payload.on('error', (err) => gunzip.destroy(err));
  counter.on('error', (err) => gunzip.destroy(err));
  return payload.pipe(counter).pipe(gunzip);
}
