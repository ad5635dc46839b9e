import { setBounded } from '../shared/bounded-map.js';
import { guarded, type FailureReporter } from './failure-reporter.js';
import type { TrackerOptions } from './tracker-types.js';

/** Turns a raw user id into the value events carry as user.id. */
export interface UserIdHasher {
  /**
   * The id to emit, or undefined when none may be emitted yet: with SHA-256
   * hashing, until the (asynchronous) digest of this id is ready. Calling it
   * starts that digest, so call it early (setUserId does).
   */
  hashed(rawUserId: string): string | undefined;
  /** Digests not finished yet. */
  readonly pending: number;
}

/** Distinct user ids remembered; a server tracking many users evicts the oldest. */
const CACHE_CAPACITY = 1024;
/** Hex characters of the SHA-256 digest kept (128 bits: ample for a lookup key). */
const HASH_HEX_LENGTH = 32;

/**
 * Builds the hasher for `hashUserId`: identity when false, the app's own
 * function when given one (called synchronously, result cached), and
 * WebCrypto SHA-256 when true. WebCrypto's digest is asynchronous: the
 * tracker holds events while `pending` (see `settled`, called as each
 * digest finishes), and an event that cannot wait carries no user.id
 * rather than the raw id: a raw id must never leave the device once
 * hashing is asked for. Where WebCrypto is missing, events carry no
 * user.id at all.
 */
export function createUserIdHasher(hashUserId: TrackerOptions['hashUserId'], report: FailureReporter, settled: () => void = () => {}): UserIdHasher {
  if (!hashUserId) return { hashed: (raw) => raw, pending: 0 };
  // '' marks a pending or failed hash: emit nothing for it.
  const cache = new Map<string, string>();
  const emitted: (raw: string) => string =
    typeof hashUserId === 'function'
      ? (raw) => guarded(report, 'hashUserId', '', () => String(hashUserId(raw)))
      : (raw) => {
          hasher.pending++;
          sha256Hex(raw)
            .then(
              (hex) => {
                if (cache.has(raw)) cache.set(raw, hex.slice(0, HASH_HEX_LENGTH));
              },
              (error: unknown) => report('hashing user.id', error),
            )
            .finally(() => {
              hasher.pending--;
              settled();
            });
          return '';
        };
  const hasher = {
    pending: 0,
    hashed(raw: string) {
      if (!cache.has(raw)) setBounded(cache, raw, emitted(raw), CACHE_CAPACITY);
      return cache.get(raw) || undefined;
    },
  };
  return hasher;
}

async function sha256Hex(value: string): Promise<string> {
  const subtle = (globalThis.crypto as Crypto | undefined)?.subtle;
  if (!subtle) throw new Error('WebCrypto (crypto.subtle) is not available; user.id is left out');
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(value));
  let hex = '';
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
