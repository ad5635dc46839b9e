import { CLOSE_ABNORMAL } from '../protocol/close-codes.js';
import { parseServerFrame, type ServerFrame } from '../protocol/frames.js';
import { describeErrorEvent } from '../shared/error-type.js';
import { READY_STATE, type CloseEventLike, type ErrorEventLike, type HandlerWebSocketLike, type MessageEventLike } from '../shared/web-socket-like.js';

/** What a `ClientSocket` reports about the socket it holds, in protocol terms. */
export interface ClientSocketEvents {
  /** The handshake completed. */
  open(): void;
  /** A protocol frame arrived (anything else is ignored). */
  frame(frame: ServerFrame): void;
  /** A transport error. */
  error(errorType: string, message: string | undefined): void;
  /** The socket closed on its own: the server sent a close frame, or the network lost it (1006). */
  close(code: number, reason: string, clean: boolean): void;
}

/**
 * The resilient client's current socket, one at a time: opens one, turns
 * its events into frames and closes, writes to it, and lets go of it.
 * Events of a socket it has let go of never arrive.
 */
export class ClientSocket {
  private readonly create: () => HandlerWebSocketLike;
  private readonly events: ClientSocketEvents;
  private socket: HandlerWebSocketLike | undefined;

  /** Holds no socket yet; `create` makes one (new WebSocket(url, protocols)). */
  constructor(create: () => HandlerWebSocketLike, events: ClientSocketEvents) {
    this.create = create;
    this.events = events;
  }

  /** Whether a socket is held (opening or open). */
  get held(): boolean {
    return this.socket !== undefined;
  }

  /** Opens a new socket in place of none; throws what the WebSocket constructor throws. */
  open(): void {
    const socket = this.create();
    this.socket = socket;
    const current = () => socket === this.socket;
    socket.onopen = () => {
      if (current()) this.events.open();
    };
    socket.onmessage = (event: MessageEventLike | undefined) => {
      const frame = current() ? parseServerFrame(event?.data) : undefined;
      if (frame !== undefined) this.events.frame(frame);
    };
    socket.onclose = (event: CloseEventLike | undefined) => {
      if (!current()) return;
      this.socket = undefined;
      const code = typeof event?.code === 'number' ? event.code : CLOSE_ABNORMAL;
      this.events.close(code, typeof event?.reason === 'string' ? event.reason : '', event?.wasClean === true);
    };
    socket.onerror = (event: ErrorEventLike | undefined) => {
      if (!current()) return;
      const { errorType, message } = describeErrorEvent(event);
      this.events.error(errorType, message);
    };
  }

  /** Writes one frame if the socket is open; false when it could not. */
  write(text: string): boolean {
    const socket = this.socket;
    if (socket === undefined || socket.readyState !== READY_STATE.OPEN) return false;
    try {
      socket.send(text);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Closes the held socket ourselves, with `code`; `hard` also cuts it
   * without waiting for the closing handshake (Node's `ws` only). Its
   * events are silenced first, so its close never comes back as `close`.
   * False when no socket was held.
   */
  release(code: number, reason: string, hard: boolean): boolean {
    const socket = this.socket;
    if (socket === undefined) return false;
    this.socket = undefined;
    releaseSocket(socket, code, reason, hard);
    return true;
  }
}

function noop(): void {}

/** Silences a socket and closes it. Its handlers become no-ops rather than null: with `ws`, an error event with no handler would throw. Never throws. */
function releaseSocket(socket: HandlerWebSocketLike, code: number, reason: string, hard: boolean): void {
  socket.onopen = noop;
  socket.onmessage = noop;
  socket.onclose = noop;
  socket.onerror = noop;
  try {
    socket.close(code, reason);
  } catch {
    // Browsers reject some codes (1001 for instance); close without one.
    try {
      socket.close();
    } catch {
      // Already closed.
    }
  }
  if (!hard) return;
  try {
    socket.terminate?.();
  } catch {
    // Already gone.
  }
}
