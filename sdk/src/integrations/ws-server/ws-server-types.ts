/**
 * The parts of the `ws` package's server and server-side socket the
 * integration uses, typed structurally so the SDK needs no runtime import
 * of `ws` (an optional peer dependency) and any `ws` 8 instance fits.
 */

/** The upgrade request `ws` hands to 'connection' listeners (Node's IncomingMessage). */
export interface UpgradeRequestLike {
  url?: string | undefined;
  headers?: { host?: string | undefined } | undefined;
}

/** A socket a `ws` server accepted. */
export interface WsServerSocketLike {
  readonly readyState: number;
  /** Bytes `send()` queued that the kernel has not taken yet: the backpressure signal. */
  readonly bufferedAmount: number;
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
  send(data: any, ...rest: any[]): void;
  ping(...args: any[]): void;
  close(code?: number, reason?: any): void;
  terminate(): void;
}

/** A `ws` WebSocketServer. */
export interface WsServerLike {
  readonly clients?: Set<any> | undefined;
  on(event: 'connection', listener: (socket: any, request: any) => void): unknown;
  off(event: 'connection', listener: (socket: any, request: any) => void): unknown;
}
