/**
 * What really happened to one client message (client -> gateway), as the
 * load generator saw it from outside the SDK's telemetry: when the app
 * sent it, whether a gateway app got it, how many copies reached a
 * gateway on the wire, and what the sending app was told (ack or drop).
 */
export interface ClientMessageTruth {
  /** service.name of the sender's fleet. */
  readonly service: string;
  /** The sender's session.id. */
  readonly sessionId: string;
  /** The id send() returned (tv.message.id). */
  readonly messageId: string;
  /** Whether the sender is in the tunnel cohort. */
  readonly tunnel: boolean;
  /** When the app called send(), epoch ms. */
  readonly saidAt: number;
  /** Whether the session was open at send(): if not, the message waited for a later connection. */
  readonly saidWhileOpen: boolean;
  /** Opens of the sender's session before send() (1 = its first connection). */
  readonly saidOnOpen: number;
  /** When a gateway app first got it (ResilientServer 'message'), epoch ms. */
  arrivedAt?: number;
  /** Copies of its msg frame that reached a gateway's socket (more than 1: the receiver saw duplicates). */
  copies: number;
  /** When the sender's app got the ack, epoch ms. */
  ackedAt?: number;
  /** Opens of the sender's session when the ack came (greater than saidOnOpen: delivered over a later connection). */
  ackedOnOpen?: number;
  /** When the sender's app was told it is dropped, epoch ms. */
  droppedAt?: number;
  /** The drop reason the app was told. */
  dropReason?: string;
}

/**
 * What really happened to one room message a gateway fanned out to one
 * member (gateway -> client): when it was sent, and when (and over which
 * connection) the member's app got it.
 */
export interface FanOutMessageTruth {
  /** service.name of the fleet. */
  readonly service: string;
  /** The receiving member's session.id (the journey's session). */
  readonly sessionId: string;
  /** The server's message id (tv.message.id). */
  readonly messageId: string;
  /** When the gateway app called send(), epoch ms. */
  readonly sentAt: number;
  /** Position of the send among the recorder's sends and session attaches (a tie-free clock). */
  readonly sentTick: number;
  /** When the member's app got it, epoch ms. */
  receivedAt?: number;
  /**
   * Tick at which the connection it arrived over was attached on the
   * gateway side (the session's latest attach at receipt): after sentTick,
   * that connection did not exist when the message was sent, so it was replayed.
   */
  receivedOverAttachTick?: number;
}

/**
 * Optional ground-truth recording for the load generator: every message
 * either way and what became of it, taken from the apps' side (send(),
 * ack / drop / message events, gateway 'message') and from the gateways'
 * sockets (copies on the wire), never from TunnelVision's own telemetry.
 * Pass one as `LoadGeneratorOptions.truth` to measure the collector's
 * verdicts against it (infra/bench/verdict-truth-bench.ts); without one,
 * nothing is recorded and nothing costs anything. Memory grows with the
 * messages of the run (a few hundred bytes each), so it is meant for
 * bounded runs, not for `npm start`'s endless loop. Single process only:
 * a cluster's workers do not record.
 */
export class MessageTruth {
  private readonly client = new Map<string, ClientMessageTruth>();
  private readonly fanOut = new Map<string, FanOutMessageTruth>();
  private readonly attachTick = new Map<string, number>();
  private tick = 0;
  private unresolvedClient = 0;

  /** A client app called send(). */
  clientSent(entry: Omit<ClientMessageTruth, 'copies'>): void {
    this.client.set(key(entry.sessionId, entry.messageId), { ...entry, copies: 0 });
    this.unresolvedClient++;
  }

  /** A gateway app got client message `messageId` of `sessionId` (once per id). */
  gatewayReceived(sessionId: string, messageId: string, at: number): void {
    const entry = this.client.get(key(sessionId, messageId));
    if (entry !== undefined) entry.arrivedAt ??= at;
  }

  /** A copy of client message `messageId` reached a gateway's socket. */
  copyArrived(sessionId: string, messageId: string): void {
    const entry = this.client.get(key(sessionId, messageId));
    if (entry !== undefined) entry.copies++;
  }

  /** The sending app got the ack. */
  clientAcked(sessionId: string, messageId: string, at: number, opens: number): void {
    const entry = this.client.get(key(sessionId, messageId));
    if (entry === undefined || entry.ackedAt !== undefined || entry.droppedAt !== undefined) return;
    entry.ackedAt = at;
    entry.ackedOnOpen = opens;
    this.unresolvedClient--;
  }

  /** The sending app was told the message is dropped. */
  clientDropped(sessionId: string, messageId: string, at: number, reason: string): void {
    const entry = this.client.get(key(sessionId, messageId));
    if (entry === undefined || entry.ackedAt !== undefined || entry.droppedAt !== undefined) return;
    entry.droppedAt = at;
    entry.dropReason = reason;
    this.unresolvedClient--;
  }

  /** A gateway sent room message `messageId` to member `sessionId`. */
  fanOutSent(entry: Omit<FanOutMessageTruth, 'sentTick'>): void {
    this.fanOut.set(key(entry.sessionId, entry.messageId), { ...entry, sentTick: ++this.tick });
  }

  /** A connection of `sessionId` was attached to a gateway (ResilientServer 'connection'). */
  sessionAttached(sessionId: string): void {
    this.attachTick.set(sessionId, ++this.tick);
  }

  /** The member's app got room message `messageId`. */
  memberReceived(sessionId: string, messageId: string, at: number): void {
    const entry = this.fanOut.get(key(sessionId, messageId));
    if (entry === undefined || entry.receivedAt !== undefined) return;
    entry.receivedAt = at;
    const attached = this.attachTick.get(sessionId);
    if (attached !== undefined) entry.receivedOverAttachTick = attached;
  }

  /** Client messages neither acked nor dropped yet. */
  get pendingClientMessages(): number {
    return this.unresolvedClient;
  }

  /** Every client message recorded, in send order. */
  clientMessages(): ClientMessageTruth[] {
    return [...this.client.values()];
  }

  /** Every fanned-out room message recorded, in send order. */
  fanOutMessages(): FanOutMessageTruth[] {
    return [...this.fanOut.values()];
  }
}

function key(sessionId: string, messageId: string): string {
  return `${sessionId}\u0000${messageId}`;
}
