import { Transform, type Readable } from 'node:stream';
import { createGunzip, createInflate, type Gunzip, type Inflate } from 'node:zlib';

/** A Content-Encoding the collector does not decode; answered with 415. */
export class UnsupportedEncodingError extends Error {
  override readonly name = 'UnsupportedEncodingError';
  readonly code = 'UNSUPPORTED_ENCODING';
  readonly statusCode = 415;
  constructor(encoding: string) {
    super(`Content-Encoding "${encoding}" is not supported; send gzip, deflate or identity`);
  }
}

/** Stream fastify reads the body from; it reports raw bytes so Content-Length checks still hold. */
type CountedStream = (Gunzip | Inflate) & { receivedEncodedLength?: number };

/**
 * Returns the stream to parse the body from: the request itself, or its
 * decompression (gzip, which every OTLP exporter offers, or deflate, which
 * the Python one does). Fastify applies its body limit to the bytes this stream yields, so
 * the limit holds after decompression and a gzip bomb stops at the limit
 * instead of filling memory.
 */
export function decodedBodyStream(payload: Readable, contentEncoding: string | undefined): Readable {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return payload;
  let inflate: CountedStream;
  if (encoding === 'gzip' || encoding === 'x-gzip') inflate = createGunzip();
  else if (encoding === 'deflate') inflate = createInflate();
  else throw new UnsupportedEncodingError(encoding);
  inflate.receivedEncodedLength = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      inflate.receivedEncodedLength! += chunk.length;
      done(null, chunk);
    },
  });
  payload.on('error', (err) => inflate.destroy(err));
  counter.on('error', (err) => inflate.destroy(err));
  return payload.pipe(counter).pipe(inflate);
}
