/**
 * The part of a WebSocket the instrumentation uses. The browser's
 * WebSocket and the `ws` package's both fit. Payloads and events are
 * `any` because each implementation types them differently and a
 * narrower type here would make one of them not fit; the instrumentation
 * reads them through the *Like types below.
 */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Sends a message; the instrumentation wraps it to see outgoing messages. */
  send(data: any, ...rest: any[]): void;
  /** Starts the closing handshake; wrapped to know who initiated a close. */
  close(code?: number, reason?: string): void;
  /** Adds a listener for open, close, error or message. */
  addEventListener(type: 'open' | 'close' | 'error' | 'message', listener: (event: any) => void): void;
  /** Removes a listener added with addEventListener. */
  removeEventListener(type: 'open' | 'close' | 'error' | 'message', listener: (event: any) => void): void;
}

/** readyState values (the same in browsers and `ws`). */
export const READY_STATE = { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 } as const;

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
