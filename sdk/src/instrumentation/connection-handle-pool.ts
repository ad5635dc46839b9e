import type { ConnectionHandle, ConnectionOptions, Tracker } from '../tracker/tracker-types.js';
import { serverOfUrl } from './handshake-ids.js';

interface PooledHandle {
  readonly endpoint: string;
  readonly handle: ConnectionHandle;
  /** A live socket is using it. */
  busy: boolean;
}

/** Idle handles kept for reuse; beyond this the least recently released is disposed. */
const MAX_IDLE_HANDLES = 64;

/**
 * Hands out one logical connection handle per endpoint, so that an app
 * that reconnects by constructing a new socket to the same URL reports
 * the new socket as a reconnect of the same connection (with downtime and
 * attempt numbers) rather than as a first connection. Concurrent sockets
 * to one endpoint get handles of their own.
 */
export class ConnectionHandlePool {
  private readonly handles: PooledHandle[] = [];

  constructor(
    private readonly tracker: Tracker,
    private readonly options: ConnectionOptions | undefined,
  ) {}

  /** A free handle for `url`; call the returned release() when its socket has closed. */
  acquire(url: unknown): { handle: ConnectionHandle; release: () => void } {
    const endpoint = endpointOf(url);
    let entry = this.handles.find((h) => h.endpoint === endpoint && !h.busy);
    if (entry) {
      // Most recently used last, so eviction takes the stalest.
      this.handles.splice(this.handles.indexOf(entry), 1);
      this.handles.push(entry);
    } else {
      const handle = this.tracker.connection({ ...serverOfUrl(endpoint), ...this.options });
      entry = { endpoint, handle, busy: false };
      this.handles.push(entry);
      this.evictIdle();
    }
    const taken = entry;
    taken.busy = true;
    let released = false;
    return {
      handle: taken.handle,
      release: () => {
        if (released) return;
        released = true;
        taken.busy = false;
      },
    };
  }

  private evictIdle(): void {
    let idle = this.handles.filter((h) => !h.busy).length;
    for (let i = 0; i < this.handles.length && idle > MAX_IDLE_HANDLES; ) {
      const entry = this.handles[i];
      if (entry && !entry.busy) {
        entry.handle.dispose();
        this.handles.splice(i, 1);
        idle--;
      } else i++;
    }
  }
}

/** The endpoint without query or fragment (they often carry per-attempt tokens). */
function endpointOf(url: unknown): string {
  const text = url instanceof URL ? url.href : String(url);
  try {
    const parsed = new URL(text);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return text.split(/[?#]/)[0] ?? text;
  }
}
