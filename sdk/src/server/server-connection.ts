import type { WebSocket } from 'ws';
import { encodeFrame, type ServerFrame } from '../protocol/frames.js';
import type { TimerHandle } from '../shared/unref-timers.js';

/** What the server said when it closed a connection. */
export interface ServerClose {
  code: number;
  reason: string;
}

/**
 * One physical connection to a `ResilientServer`: its socket, the session
 * its hello attached, and whether the server started its close. Nothing it
 * does throws.
 */
export class ServerConnection {
  /** The socket. */
  readonly ws: WebSocket;
  /** Session attached by the hello; undefined before it, and after another connection took the session over. */
  sessionId: string | undefined = undefined;
  /** When the last frame arrived (epoch ms); the idle timeout counts from here. */
  lastInboundAt: number;
  /** Closes the connection when no hello arrives in time. */
  helloTimer: TimerHandle | undefined = undefined;
  /** tv.connection.id the client sent in its handshake, if any (handshakeIdentity). */
  clientConnectionId: string | undefined = undefined;
  /** Set when the server started the close: the code and reason it reports. */
  serverClose: ServerClose | undefined = undefined;

  /** Wraps a socket accepted at `now`. */
  constructor(ws: WebSocket, now: number) {
    this.ws = ws;
    this.lastInboundAt = now;
  }

  /** Encodes and sends `frame`; false when the socket is not open or sending failed. */
  send(frame: ServerFrame): boolean {
    return this.sendText(encodeFrame(frame));
  }

  /** Sends an already encoded frame; false when the socket is not open or sending failed. */
  sendText(text: string): boolean {
    if (this.ws.readyState !== this.ws.OPEN) return false;
    try {
      this.ws.send(text);
      return true;
    } catch {
      return false;
    }
  }

  /** Starts the closing handshake; the first close the server started is the one reported. */
  close(code: number, reason: string): void {
    this.serverClose ??= { code, reason };
    closeWebSocket(this.ws, code, reason);
  }

  /** Cuts the connection without a close frame. */
  terminate(): void {
    try {
      this.ws.terminate();
    } catch {
      // Already gone.
    }
  }

  /** Forgets the hello timeout (the hello came, or the connection ended). */
  clearHelloTimer(): void {
    if (this.helloTimer !== undefined) clearTimeout(this.helloTimer);
    this.helloTimer = undefined;
  }
}

/** Closes `ws` with `code`, or cuts it when that fails. Never throws. */
export function closeWebSocket(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    try {
      ws.terminate();
    } catch {
      // Already gone.
    }
  }
}
