/**
 * The parts of a WebSocket the SDK uses. The browser's `WebSocket` and the
 * `ws` package's class both fit every shape here. Payloads and events are
 * `any` because each implementation types them differently and a narrower
 * type would make one of them not fit; the SDK reads events through the
 * *EventLike types below, checking each field at run time.
 */

/** readyState values (the same in browsers and `ws`). */
export const READY_STATE = { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 } as const;

/** What every WebSocket has: its state, send and close. */
export interface WebSocketBase {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Sends a message. */
  send(data: any, ...rest: any[]): void;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
}

/** A WebSocket observed through listeners, as the instrumentation does (it must not take the socket's handler properties). */
export interface WebSocketLike extends WebSocketBase {
  /** Adds a listener for open, close, error or message. */
  addEventListener(type: 'open' | 'close' | 'error' | 'message', listener: (event: any) => void): void;
  /** Removes a listener added with addEventListener. */
  removeEventListener(type: 'open' | 'close' | 'error' | 'message', listener: (event: any) => void): void;
}

/**
 * A WebSocket driven through its handler properties, as the resilient
 * client does: it owns the socket, and replacing a handler is how it
 * detaches one (with `ws`, removing the last error listener would make a
 * later error throw).
 */
export interface HandlerWebSocketLike extends WebSocketBase {
  /** Called once the handshake completed. */
  onopen: ((event: any) => void) | null;
  /** Called for every frame; text frames carry a string `data`. */
  onmessage: ((event: any) => void) | null;
  /** Called once when the connection ended, with `code`, `reason`, `wasClean`. */
  onclose: ((event: any) => void) | null;
  /** Called on a transport error (`ws` adds `error` with a code such as ECONNREFUSED). */
  onerror: ((event: any) => void) | null;
  /** Node's `ws` only: drops the connection at once, without a closing handshake. */
  terminate?(): void;
}

/** A WebSocket class for the resilient client: `globalThis.WebSocket` in browsers, `ws`'s class in Node. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => HandlerWebSocketLike;

/** What a close event carries (CloseEvent in browsers, `ws`'s CloseEvent). */
export interface CloseEventLike {
  readonly code?: number;
  readonly reason?: string;
  readonly wasClean?: boolean;
}

/** What a message event carries. */
export interface MessageEventLike {
  readonly data?: unknown;
}

/** What an error event carries: `ws` adds `error` and `message`; browsers carry nothing. */
export interface ErrorEventLike {
  readonly error?: unknown;
  readonly message?: unknown;
}
