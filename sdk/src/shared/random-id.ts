// 64 symbols, so one random byte masked to 6 bits picks one with no bias.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * A random, URL-safe id of `length` characters (6 bits each: the default 22
 * carry 132 bits) for connection, session and message ids. Uses
 * `crypto.getRandomValues`, present in Node 20 and every browser; falls back
 * to Math.random only where WebCrypto is missing.
 */
export function randomId(length = 22): string {
  const bytes = new Uint8Array(length);
  const crypto = globalThis.crypto as Crypto | undefined;
  if (typeof crypto?.getRandomValues === 'function') {
    crypto.getRandomValues(bytes);
  } else {
    for (let i = 0; i < length; i++) bytes[i] = Math.floor(Math.random() * 256);
  }
  let id = '';
  for (const byte of bytes) id += ALPHABET.charAt(byte & 63);
  return id;
}
