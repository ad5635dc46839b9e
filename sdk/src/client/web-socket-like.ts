/**
 * The part of the platform WebSocket the resilient client uses. The
 * browser's `WebSocket` and the `ws` package's class both fit.
 *
 * Handler parameters are `any` on purpose: the browser and `ws` declare
 * different event classes, and the client reads only `data`, `code`,
 * `reason`, `wasClean` and `error`, checking each at run time.
 */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Called once the handshake completed. */
  onopen: ((event: any) => void) | null;
  /** Called for every frame; text frames carry a string `data`. */
  onmessage: ((event: any) => void) | null;
  /** Called once when the connection ended, with `code`, `reason`, `wasClean`. */
  onclose: ((event: any) => void) | null;
  /** Called on a transport error (`ws` adds `error` with a code such as ECONNREFUSED). */
  onerror: ((event: any) => void) | null;
  /** Sends one text frame. */
  send(data: string): void;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
  /** Node's `ws` only: drops the connection at once, without a closing handshake. */
  terminate?(): void;
}

/** A WebSocket class: `globalThis.WebSocket` in browsers, `ws`'s class in Node. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** readyState value of an open socket. */
export const READY_STATE_OPEN = 1;
