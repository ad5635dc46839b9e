import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header that carries the body's HMAC (`sha256=<hex>`). */
export const SIGNATURE_HEADER = 'X-TunnelVision-Signature';

const SIGNATURE_FORMAT = /^sha256=([0-9a-fA-F]{64})$/;

/**
 * The X-TunnelVision-Signature value of one webhook body:
 * `sha256=<hex HMAC-SHA256 of the raw body bytes, keyed with the secret>`.
 * A string body is signed as its UTF-8 bytes, which is what is sent.
 */
export function signWebhookBody(raw: string | Uint8Array, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

/**
 * Whether `header` is the signature of `raw` under `secret`. For receivers
 * (and tests): pass the raw request bytes as received, before any JSON
 * parsing, since re-serialising changes them.
 *
 * Security: the digests are compared in constant time, so a caller cannot
 * learn a valid signature byte by byte from response timings. A missing,
 * repeated (array) or malformed header is simply not valid.
 */
export function verifyWebhookSignature(raw: string | Uint8Array, header: string | readonly string[] | null | undefined, secret: string): boolean {
  if (typeof header !== 'string') return false;
  const match = SIGNATURE_FORMAT.exec(header.trim());
  if (!match) return false;
  const given = Buffer.from(match[1]!, 'hex');
  const expected = createHmac('sha256', secret).update(raw).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
