import type { HandlerWebSocketLike } from '../../src/shared/web-socket-like.js';

/**
 * A scripted stand-in for the platform WebSocket, for unit tests without a
 * network: the test plays the server (open, frames, close) and reads what
 * the client sent.
 */
export class FakeWebSocket implements HandlerWebSocketLike {
  /** Every socket created, oldest first. */
  static instances: FakeWebSocket[] = [];

  /** Forgets every socket (call in beforeEach). */
  static reset(): void {
    FakeWebSocket.instances = [];
  }

  /** The newest socket; throws when none exists. */
  static last(): FakeWebSocket {
    const socket = FakeWebSocket.instances.at(-1);
    if (socket === undefined) throw new Error('no FakeWebSocket created');
    return socket;
  }

  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: unknown) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  /** Text frames the client sent. */
  readonly sent: string[] = [];
  /** Arguments of every close() call. */
  readonly closeCalls: Array<{ code: number | undefined; reason: string | undefined }> = [];
  terminated = false;

  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
  ) {
    FakeWebSocket.instances.push(this);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.closeCalls.push({ code, reason });
    this.readyState = 2;
  }

  terminate(): void {
    this.terminated = true;
    this.readyState = 3;
  }

  /** Parsed frames the client sent. */
  frames(): Array<Record<string, unknown>> {
    return this.sent.map((text) => JSON.parse(text) as Record<string, unknown>);
  }

  /** Parsed frames of one type. */
  framesOf(t: string): Array<Record<string, unknown>> {
    return this.frames().filter((frame) => frame['t'] === t);
  }

  /** The handshake completes (the client then sends its hello). */
  open(): void {
    this.readyState = 1;
    this.onopen?.({ type: 'open' });
  }

  /** Delivers a frame from the server (objects are JSON-encoded). */
  receive(frame: unknown): void {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }

  /** open() then a welcome that announces `replay` replayed messages. */
  accept(replay = 0): void {
    this.open();
    this.receive({ t: 'welcome', sid: 'ignored-by-client', replay });
  }

  /** The server (or the network, with 1006) closes the connection. */
  serverClose(code: number, reason = '', wasClean = code !== 1006): void {
    this.readyState = 3;
    this.onclose?.({ code, reason, wasClean });
  }

  /** A transport error followed by an abnormal close. */
  fail(errorCode = 'ECONNREFUSED'): void {
    const error = Object.assign(new Error(`connect ${errorCode}`), { code: errorCode });
    this.onerror?.({ error });
    this.serverClose(1006, '', false);
  }
}
