// 64 symbols, so one random byte masked to 6 bits picks one with no bias.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/**
 * Random bytes fetched at once. In Node a getRandomValues call costs about
 * 2 µs whether it fills 256 bytes or 4 KiB, so a larger pool makes each
 * id's share of it small (135 ns of a 12-character connection id at 256).
 */
const POOL_SIZE = 4096;

/** Allocated on first use: nothing happens at import time. */
let pool: Uint8Array | undefined;
let used = POOL_SIZE;

/**
 * A random, URL-safe id of `length` characters (6 bits each: the default 22
 * carry 132 bits) for connection, session and message ids. Uses
 * `crypto.getRandomValues`, present in Node 20 and every browser, drawn from
 * a small pool that is refilled once spent (no byte is used twice); falls
 * back to Math.random only where WebCrypto is missing.
 */
export function randomId(length = 22): string {
  let id = '';
  const bytes = (pool ??= new Uint8Array(POOL_SIZE));
  for (let i = 0; i < length; i++) {
    if (used === POOL_SIZE) {
      const crypto = globalThis.crypto as Crypto | undefined;
      if (crypto?.getRandomValues) crypto.getRandomValues(bytes);
      // A typed array truncates what it is given, so no Math.floor.
      else for (let j = 0; j < POOL_SIZE; j++) bytes[j] = Math.random() * 256;
      used = 0;
    }
    id += ALPHABET.charAt(bytes[used++]! & 63);
  }
  return id;
}
