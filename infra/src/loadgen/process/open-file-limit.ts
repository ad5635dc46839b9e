import { readFileSync } from 'node:fs';

/**
 * Open files one virtual client costs in this process: its socket, the
 * balancer's two (client side and gateway side) and the gateway's.
 */
export const FILES_PER_CLIENT = 4;
/** Open files kept free for everything else (listeners, OTLP requests, the runtime). */
export const FILES_RESERVED = 256;

/** The process's soft limit on open files (`ulimit -n`), when the platform says (Linux /proc); undefined otherwise. */
export function readOpenFileLimit(limitsText?: string): number | undefined {
  let text = limitsText;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/limits', 'utf8');
    } catch {
      return undefined;
    }
  }
  const line = text.split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
  if (soft === undefined) return undefined;
  if (soft === 'unlimited') return Number.POSITIVE_INFINITY;
  const value = Number(soft);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** Open files `clients` virtual clients need. */
export function filesNeeded(clients: number): number {
  return clients * FILES_PER_CLIENT + FILES_RESERVED;
}

/** Most clients that fit in `limit` open files. */
export function clientsWithin(limit: number): number {
  return Math.max(0, Math.floor((limit - FILES_RESERVED) / FILES_PER_CLIENT));
}
