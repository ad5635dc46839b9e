import type { ConnectionHandle } from '../../tracker/tracker-types.js';
import type { GraphQLWsMessageLike } from './graphql-ws-types.js';

interface Operation {
  readonly channel: string | undefined;
  /** `next` results received so far. */
  results: number;
  /** Its subscribe message went out at least once. */
  subscribed: boolean;
  /** Subscribed (again) and no answer yet. */
  awaitingAnswer: boolean;
}

/**
 * Maps graphql-ws operations onto message journeys (docs/semconv.md has no
 * subscription events): the `subscribe` message is msg.sent (id: the
 * operation id, channel: its operationName), and graphql-ws's resubscribe
 * after a reconnect msg.replayed; the first answer to a subscribe (a
 * `next`, or a `complete` without one) is msg.acked, so its latency is the
 * time to the first result; each `next` is msg.received (id
 * `<operation id>:<n>`, seq n); an `error` message is msg.dropped with
 * reason policy (the server refused the operation). A subscribe the
 * connection took with it unanswered is at risk and, if not resubscribed
 * in time, msg.dropped (connection_lost).
 */
export class SubscriptionJourneys {
  private readonly operations = new Map<string, Operation>();

  constructor(private readonly handle: ConnectionHandle) {}

  /** The client generated `id` for an operation (generateID). */
  created(id: string, payload: unknown): void {
    const name = (payload as { operationName?: unknown } | undefined)?.operationName;
    this.operations.set(id, { channel: typeof name === 'string' && name !== '' ? name : undefined, results: 0, subscribed: false, awaitingAnswer: false });
  }

  /** The client is writing `message` to the socket. */
  outgoing(message: GraphQLWsMessageLike): void {
    const operation = typeof message.id === 'string' ? this.operations.get(message.id) : undefined;
    if (!operation || typeof message.id !== 'string') return;
    if (message.type === 'subscribe') {
      if (operation.subscribed) this.journey(message.id, operation).replayed();
      else this.journey(message.id, operation).sent();
      operation.subscribed = true;
      operation.awaitingAnswer = true;
    } else if (message.type === 'complete') {
      // The app unsubscribed: the server will not answer for it any more.
      this.operations.delete(message.id);
    }
  }

  /** `message` arrived from the server. */
  incoming(message: GraphQLWsMessageLike): void {
    const id = message.id;
    const operation = typeof id === 'string' ? this.operations.get(id) : undefined;
    if (!operation || typeof id !== 'string') return;
    if (message.type === 'next') {
      this.answered(id, operation);
      operation.results++;
      this.handle.received(`${id}:${operation.results}`, { seq: operation.results, ...(operation.channel ? { channel: operation.channel } : {}) });
    } else if (message.type === 'error') {
      this.journey(id, operation).dropped('policy');
      this.operations.delete(id);
    } else if (message.type === 'complete') {
      this.answered(id, operation);
      this.operations.delete(id);
    }
  }

  private answered(id: string, operation: Operation): void {
    if (!operation.awaitingAnswer) return;
    operation.awaitingAnswer = false;
    this.journey(id, operation).acked();
  }

  private journey(id: string, operation: Operation) {
    return this.handle.message(id, operation.channel ? { channel: operation.channel } : undefined);
  }
}
