import type { ConnectionState, DropReason } from '@tunnelvision/semconv';
import type {
  CloseInfo,
  ConnectionHandle,
  ConnectionOptions,
  MessageHandle,
  MessageInfo,
  ReconnectInfo,
  ResumeInfo,
  Tracker,
} from '../../src/tracker/tracker-types.js';

/** One recorded instrumentation call. */
export interface RecordedCall {
  /** Method name; message-handle methods are prefixed "msg." (msg.sent, msg.acked, ...). */
  method: string;
  /** The arguments (the message id first for msg.* calls). */
  args: unknown[];
}

/**
 * A ConnectionHandle that records every call, for asserting what a client
 * or server reported. Message-handle calls land in the same log.
 */
export class RecordingConnectionHandle implements ConnectionHandle {
  readonly calls: RecordedCall[] = [];
  connectionId = '';
  private counter = 0;

  constructor(readonly options: ConnectionOptions = {}) {}

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
  }

  /** Method names in call order. */
  methods(): string[] {
    return this.calls.map((call) => call.method);
  }

  /** Calls of one method. */
  callsOf(method: string): unknown[][] {
    return this.calls.filter((call) => call.method === method).map((call) => call.args);
  }

  /** First argument of every call of one method. */
  firstArgs<T = unknown>(method: string): T[] {
    return this.callsOf(method).map((args) => args[0] as T);
  }

  /** `from->to` of every stateChanged call. */
  transitions(): string[] {
    return this.callsOf('stateChanged').map((args) => `${String(args[0])}->${String(args[1])}`);
  }

  /** msg.* calls for one message id, as method names. */
  journey(messageId: string): string[] {
    return this.calls.filter((call) => call.method.startsWith('msg.') && call.args[0] === messageId).map((call) => call.method);
  }

  opening(attempt?: number): string {
    this.counter += 1;
    this.connectionId = `conn-${this.counter}`;
    this.record('opening', attempt);
    return this.connectionId;
  }
  opened(): void {
    this.record('opened');
  }
  closed(info: CloseInfo): void {
    this.record('closed', info);
  }
  error(errorType: string, message?: string): void {
    this.record('error', errorType, message);
  }
  stateChanged(from: ConnectionState, to: ConnectionState): void {
    this.record('stateChanged', from, to);
  }
  reconnectScheduled(info: ReconnectInfo): void {
    this.record('reconnectScheduled', info);
  }
  gaveUp(attempts: number): void {
    this.record('gaveUp', attempts);
  }
  heartbeat(rttMs: number): void {
    this.record('heartbeat', rttMs);
  }
  heartbeatMissed(missed: number): void {
    this.record('heartbeatMissed', missed);
  }
  resumed(info: ResumeInfo): void {
    this.record('resumed', info);
  }
  queueDepth(depth: number): void {
    this.record('queueDepth', depth);
  }
  message(messageId: string, info?: MessageInfo): MessageHandle {
    this.record('message', messageId, info);
    const record = (method: string, ...args: unknown[]): void => this.record(`msg.${method}`, messageId, ...args);
    return {
      messageId,
      sent: () => record('sent'),
      queued: (depth: number) => record('queued', depth),
      retried: (attempt: number) => record('retried', attempt),
      replayed: () => record('replayed'),
      acked: () => record('acked'),
      dropped: (reason: DropReason) => record('dropped', reason),
    };
  }
  received(messageId: string, info?: MessageInfo): void {
    this.record('received', messageId, info);
  }
  duplicate(messageId: string, info?: MessageInfo): void {
    this.record('duplicate', messageId, info);
  }
  gap(expectedSeq: number, gotSeq: number): void {
    this.record('gap', expectedSeq, gotSeq);
  }
  setAttributes(attributes: Record<string, string | number | boolean>): void {
    this.record('setAttributes', attributes);
  }
  dispose(): void {
    this.record('dispose');
  }
}

/** A Tracker whose connections are RecordingConnectionHandles. */
export class RecordingTracker implements Tracker {
  readonly handles: RecordingConnectionHandle[] = [];
  readonly sessionId: string;

  constructor(sessionId = 'session-under-test') {
    this.sessionId = sessionId;
  }

  connection(options?: ConnectionOptions): RecordingConnectionHandle {
    const handle = new RecordingConnectionHandle(options);
    this.handles.push(handle);
    return handle;
  }

  setUserId(): void {}

  /** The only handle; throws unless exactly one exists. */
  only(): RecordingConnectionHandle {
    if (this.handles.length !== 1) throw new Error(`expected 1 handle, got ${this.handles.length}`);
    return this.handles[0] as RecordingConnectionHandle;
  }

  /** The handle of one session (server side). */
  forSession(sessionId: string): RecordingConnectionHandle[] {
    return this.handles.filter((handle) => handle.options.sessionId === sessionId);
  }
}
