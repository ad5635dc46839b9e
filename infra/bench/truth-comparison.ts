/**
 * Compares the collector's per-message verdicts with what the load
 * generator recorded as having really happened (MessageTruth). Pure: no
 * I/O, so its rules can be read (and tested) apart from the bench.
 */
import type { MessageVerdict } from '@tunnelvision/collector';
import type { ClientMessageTruth, FanOutMessageTruth } from '../src/loadgen/index.js';

/** Delivery slower than this is "late", as the timeline's default late_ms. */
export const LATE_AFTER_MILLIS = 1_000;

/** Which way a message went. */
export type Direction = 'client->gateway' | 'gateway->client';

/** What really happened, in the verdicts' vocabulary (first match wins, as the verdict rules). */
export type TruthKind =
  | 'dropped'
  | 'dropped_after_arrival'
  | 'replayed'
  | 'duplicate_suppressed'
  | 'delivered_late'
  | 'delivered'
  | 'not_delivered'
  | 'unfinished';

/** One message compared. */
export interface Comparison {
  readonly direction: Direction;
  readonly sessionId: string;
  readonly messageId: string;
  readonly truth: TruthKind;
  /** The collector's verdict, or 'not_in_store' when no journey came back for the message. */
  readonly verdict: string;
  readonly right: boolean;
  /** For a miss: its cause, one line (also the category key). */
  readonly cause?: string;
}

/** The verdicts of one run, by session and message id. */
export type VerdictIndex = ReadonlyMap<string, MessageVerdict>;

/** The key of a journey in a VerdictIndex. */
export function journeyKey(sessionId: string, messageId: string): string {
  return `${sessionId}\u0000${messageId}`;
}

/** What really happened to a client message. */
export function clientTruth(m: ClientMessageTruth): TruthKind {
  if (m.droppedAt !== undefined) return m.arrivedAt === undefined ? 'dropped' : 'dropped_after_arrival';
  if (m.ackedAt === undefined) return 'unfinished';
  // Over a later connection than the one of send(); one said before the first connection just waited for it.
  if (m.saidOnOpen >= 1 && (m.ackedOnOpen ?? 0) > m.saidOnOpen) return 'replayed';
  if (m.copies > 1) return 'duplicate_suppressed';
  return m.ackedAt - m.saidAt > LATE_AFTER_MILLIS ? 'delivered_late' : 'delivered';
}

/** What really happened to a room message fanned out to one member. */
export function fanOutTruth(m: FanOutMessageTruth): TruthKind {
  if (m.receivedAt === undefined) return 'not_delivered';
  if ((m.receivedOverAttachTick ?? 0) > m.sentTick) return 'replayed';
  return m.receivedAt - m.sentAt > LATE_AFTER_MILLIS ? 'delivered_late' : 'delivered';
}

const UNFINISHED_VERDICTS = new Set(['in_flight', 'queued', 'never_acked']);
const UNDELIVERED_VERDICTS = new Set(['dropped', 'never_acked', 'in_flight', 'queued']);

/** Compares one client message; `clientSampling` is the share of successful journeys clients were asked to record. */
export function compareClient(m: ClientMessageTruth, verdicts: VerdictIndex, clientSampling: number): Comparison {
  const truth = clientTruth(m);
  const found = verdicts.get(journeyKey(m.sessionId, m.messageId));
  const verdict = found?.verdict ?? 'not_in_store';
  const base = { direction: 'client->gateway' as const, sessionId: m.sessionId, messageId: m.messageId, truth, verdict };
  let right: boolean;
  switch (truth) {
    case 'unfinished':
      right = UNFINISHED_VERDICTS.has(verdict);
      break;
    case 'dropped':
      right = verdict === 'dropped' && found?.drop_reason === m.dropReason;
      break;
    case 'dropped_after_arrival':
      right = false; // "never delivered" is not true: the gateway app had it
      break;
    default:
      right = verdict === truth;
  }
  if (right) return { ...base, right };
  return { ...base, right, cause: clientMissCause(m, truth, found, clientSampling) };
}

/** Compares one fanned-out message. The gateways were asked to record `serverSampling` of successful journeys, the clients all they receive. */
export function compareFanOut(m: FanOutMessageTruth, verdicts: VerdictIndex, serverSampling: number): Comparison {
  const truth = fanOutTruth(m);
  const found = verdicts.get(journeyKey(m.sessionId, m.messageId));
  const verdict = found?.verdict ?? 'not_in_store';
  const base = { direction: 'gateway->client' as const, sessionId: m.sessionId, messageId: m.messageId, truth, verdict };
  let right: boolean;
  if (truth === 'not_delivered') right = UNDELIVERED_VERDICTS.has(verdict);
  // A successful journey the gateway sampled out shows only the receiver's msg.received: "received" is the truth, told from one side.
  else if (truth === 'delivered' || truth === 'delivered_late') right = verdict === truth || verdict === 'received';
  else right = verdict === truth;
  if (right) return { ...base, right };
  return { ...base, right, cause: fanOutMissCause(m, truth, found, serverSampling) };
}

function clientMissCause(m: ClientMessageTruth, truth: TruthKind, found: MessageVerdict | undefined, clientSampling: number): string {
  const verdict = found?.verdict ?? 'not_in_store';
  if (found === undefined) {
    if (clientSampling < 1 && (truth === 'delivered' || truth === 'delivered_late'))
      return `not in store: a successful journey sampled out (client sampling ${clientSampling})`;
    if (truth === 'unfinished') return 'not in store: in flight at the end of the run, and sampled out until it ends';
    return `not in store (truth ${truth}): its events never reached the collector`;
  }
  if (truth === 'unfinished') return `in flight at the end of the run (never acked nor dropped), verdict ${verdict}`;
  if (truth === 'dropped_after_arrival')
    return `sender gave up (${m.dropReason ?? '?'}) after the gateway app had it, the ack was lost; verdict ${verdict}${verdict === 'dropped' ? ' says "never delivered"' : ''}`;
  if (truth === 'dropped') {
    if (verdict === 'dropped') return `dropped, but the verdict's reason is ${found.drop_reason ?? '?'} where the app was told ${m.dropReason ?? '?'}`;
    return `dropped (${m.dropReason ?? '?'}) but verdict ${verdict}`;
  }
  if (m.ackedAt !== undefined && (truth === 'delivered' || truth === 'delivered_late') && (verdict === 'delivered' || verdict === 'delivered_late')) {
    const truthLatency = m.ackedAt - m.saidAt;
    const reported = found.latency_ms;
    return Math.abs(truthLatency - LATE_AFTER_MILLIS) <= 50
      ? `at the ${LATE_AFTER_MILLIS} ms "late" boundary (latency ${truthLatency} ms from send(), ${reported ?? '?'} ms reported)`
      : `latency ${truthLatency} ms from send() but ${reported ?? '?'} ms reported (the SDK counts from the first write, after waiting for an in-flight slot)`;
  }
  if (truth === 'replayed') return `delivered over a later connection (opened after send()), but verdict ${verdict}`;
  if (verdict === 'replayed') return `delivered on the connection open at send(), but verdict replayed (${truth} in truth)`;
  if (truth === 'duplicate_suppressed') return `the gateway got ${m.copies} copies, but verdict ${verdict}`;
  return `truth ${truth}, verdict ${verdict}`;
}

function fanOutMissCause(m: FanOutMessageTruth, truth: TruthKind, found: MessageVerdict | undefined, serverSampling: number): string {
  const verdict = found?.verdict ?? 'not_in_store';
  if (found === undefined) {
    if (truth === 'not_delivered') return `not in store: never delivered and unfinished at the end (outbox), sampled out on the gateway (sampling ${serverSampling})`;
    return `not in store (truth ${truth}): the receiver's msg.received never reached the collector`;
  }
  if (truth === 'not_delivered') return `never delivered to the member, but verdict ${verdict}`;
  if (verdict === 'never_acked' || verdict === 'in_flight')
    return `the member got it, but its batched ack reached no gateway instance holding the message (the connection closed first; the instance that resumed the session emits no msg.acked), and the verdict (${verdict}) ignores the member's msg.received`;
  if (truth === 'replayed') return `received over a later connection of the member, but verdict ${verdict}`;
  if (verdict === 'replayed') return `received on the connection open at send(), but verdict replayed (${truth} in truth)`;
  if ((truth === 'delivered' || truth === 'delivered_late') && (verdict === 'delivered' || verdict === 'delivered_late')) {
    const took = m.receivedAt === undefined ? '?' : m.receivedAt - m.sentAt;
    return `received in ${took} ms one way, but the gateway's ack latency is ${found.latency_ms ?? '?'} ms: the member's batched ack was lost with its connection and came back on the resume (verdict from the sender's ack)`;
  }
  return `truth ${truth}, verdict ${verdict}`;
}
