/**
 * The TunnelVision resilience protocol, spoken by `ResilientWebSocket`
 * (client) and `ResilientServer` (server).
 *
 * Every frame is one WebSocket text frame holding a JSON object with a `t`
 * discriminator. Anything else (binary frames, bad JSON, unknown `t`,
 * missing or mistyped fields) is ignored by the receiver: a malformed frame
 * never closes the connection and never throws.
 *
 * Client -> server
 *   {"t":"hello","sid":S,"lastSeq":N}      first frame on every connection:
 *                                          the session id and the last server
 *                                          sequence number delivered to the
 *                                          app (0 = none yet).
 *   {"t":"msg","id":I,"body":B,"ch"?:C}    an app message; I is a random,
 *                                          URL-safe id chosen by the client
 *                                          and kept across retries/replays.
 *   {"t":"ack","seq":N}                    cumulative ack: every server
 *                                          message with seq <= N arrived.
 *   {"t":"ping","n":K}                     heartbeat; answered with pong K.
 *
 * Server -> client
 *   {"t":"welcome","sid":S,"replay":R}     the session is attached; the R
 *                                          messages after the client's
 *                                          lastSeq follow at once, in order.
 *   {"t":"resume-failed","sid":S,"seq":N}  what the client missed is gone;
 *                                          the next message will be N + 1.
 *                                          The app must resync.
 *   {"t":"msg","seq":N,"id":I,"body":B,"ch"?:C}
 *                                          an app message; seq counts from 1
 *                                          per session, without gaps.
 *   {"t":"ack","id":I}                     client message I arrived (sent for
 *                                          duplicates too).
 *   {"t":"pong","n":K}                     heartbeat reply.
 *
 * Compatibility: receivers ignore fields they do not know, so fields can
 * be added freely. An incompatible change will add `v` to hello (absent
 * means PROTOCOL_VERSION 1).
 *
 * Delivery: client -> server is at-least-once on the wire (retries and
 * replays) and exactly-once to the server app (de-duplication by id).
 * Server -> client is replayed from the server's outbox on resume and
 * exactly-once, in order, to the client app (de-duplication by seq).
 */

/** Version of this protocol; bumped on any incompatible change. */
export const PROTOCOL_VERSION = 1;

/** First frame of every connection, client -> server. */
export interface HelloFrame {
  readonly t: 'hello';
  /** Session id; survives reconnects. */
  readonly sid: string;
  /** Last server sequence number delivered to the app; 0 when none. */
  readonly lastSeq: number;
}

/** An app message, client -> server. */
export interface ClientMessageFrame {
  readonly t: 'msg';
  /** Client-generated message id, stable across retries and replays. */
  readonly id: string;
  /** App payload (any JSON value). */
  readonly body: unknown;
  /** Optional channel / topic. */
  readonly ch?: string;
}

/** Cumulative ack of server messages, client -> server. */
export interface SequenceAckFrame {
  readonly t: 'ack';
  /** Every server message with a sequence number up to this one arrived. */
  readonly seq: number;
}

/** Heartbeat request, client -> server. */
export interface PingFrame {
  readonly t: 'ping';
  /** Ping counter, echoed in the pong. */
  readonly n: number;
}

/** Every frame a client sends. */
export type ClientFrame = HelloFrame | ClientMessageFrame | SequenceAckFrame | PingFrame;

/** The session is attached and resumed, server -> client. */
export interface WelcomeFrame {
  readonly t: 'welcome';
  /** Session id (echo of the hello). */
  readonly sid: string;
  /** How many messages the server replays right after this frame. */
  readonly replay: number;
}

/** The session could not be resumed, server -> client. */
export interface ResumeFailedFrame {
  readonly t: 'resume-failed';
  /** Session id (echo of the hello). */
  readonly sid: string;
  /** The server's current sequence number; the next message is seq + 1. */
  readonly seq: number;
}

/** An app message, server -> client. */
export interface ServerMessageFrame {
  readonly t: 'msg';
  /** Per-session sequence number, from 1, without gaps. */
  readonly seq: number;
  /** Server-generated message id. */
  readonly id: string;
  /** App payload (any JSON value). */
  readonly body: unknown;
  /** Optional channel / topic. */
  readonly ch?: string;
}

/** Ack of one client message, server -> client. */
export interface MessageAckFrame {
  readonly t: 'ack';
  /** The acknowledged client message id. */
  readonly id: string;
}

/** Heartbeat reply, server -> client. */
export interface PongFrame {
  readonly t: 'pong';
  /** The ping counter being answered. */
  readonly n: number;
}

/** Every frame a server sends. */
export type ServerFrame = WelcomeFrame | ResumeFailedFrame | ServerMessageFrame | MessageAckFrame | PongFrame;

/** Longest id or session id accepted from the wire. */
const MAX_ID_LENGTH = 128;

/** Encodes a frame as the text of one WebSocket frame. */
export function encodeFrame(frame: ClientFrame | ServerFrame): string {
  return JSON.stringify(frame);
}

/** Parses a frame a client sent; undefined when malformed (never throws). */
export function parseClientFrame(data: unknown): ClientFrame | undefined {
  const obj = parseObject(data);
  if (obj === undefined) return undefined;
  switch (obj['t']) {
    case 'hello': {
      const sid = obj['sid'];
      const lastSeq = obj['lastSeq'];
      if (!isId(sid) || !isSeq(lastSeq)) return undefined;
      return { t: 'hello', sid, lastSeq };
    }
    case 'msg': {
      const id = obj['id'];
      const ch = obj['ch'];
      if (!isId(id) || !('body' in obj) || !isOptionalString(ch)) return undefined;
      return ch === undefined ? { t: 'msg', id, body: obj['body'] } : { t: 'msg', id, body: obj['body'], ch };
    }
    case 'ack': {
      const seq = obj['seq'];
      return isSeq(seq) ? { t: 'ack', seq } : undefined;
    }
    case 'ping': {
      const n = obj['n'];
      return isSeq(n) ? { t: 'ping', n } : undefined;
    }
    default:
      return undefined;
  }
}

/** Parses a frame a server sent; undefined when malformed (never throws). */
export function parseServerFrame(data: unknown): ServerFrame | undefined {
  const obj = parseObject(data);
  if (obj === undefined) return undefined;
  switch (obj['t']) {
    case 'welcome': {
      const sid = obj['sid'];
      const replay = obj['replay'];
      if (!isId(sid) || !isSeq(replay)) return undefined;
      return { t: 'welcome', sid, replay };
    }
    case 'resume-failed': {
      const sid = obj['sid'];
      const seq = obj['seq'];
      if (!isId(sid) || !isSeq(seq)) return undefined;
      return { t: 'resume-failed', sid, seq };
    }
    case 'msg': {
      const seq = obj['seq'];
      const id = obj['id'];
      const ch = obj['ch'];
      if (!isSeq(seq) || seq < 1 || !isId(id) || !('body' in obj) || !isOptionalString(ch)) return undefined;
      return ch === undefined
        ? { t: 'msg', seq, id, body: obj['body'] }
        : { t: 'msg', seq, id, body: obj['body'], ch };
    }
    case 'ack': {
      const id = obj['id'];
      return isId(id) ? { t: 'ack', id } : undefined;
    }
    case 'pong': {
      const n = obj['n'];
      return isSeq(n) ? { t: 'pong', n } : undefined;
    }
    default:
      return undefined;
  }
}

function parseObject(data: unknown): Record<string, unknown> | undefined {
  if (typeof data !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return value as Record<string, unknown>;
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
}

function isSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isOptionalString(value: unknown): value is string | undefined {
  return value === undefined || typeof value === 'string';
}
