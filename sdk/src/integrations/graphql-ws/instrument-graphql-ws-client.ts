import { CLOSE_ABNORMAL, CLOSE_NORMAL } from '../../protocol/close-codes.js';

/** The close code graphql-ws reports for client.terminate(): its own, never sent on the wire. */
const CLOSE_TERMINATED = 4499;
import { createFailureReporter, guarded } from '../../tracker/failure-reporter.js';
import { warningsOf } from '../../tracker/tracker-warnings.js';
import type { ConnectionOptions, Tracker } from '../../tracker/tracker-types.js';
import { describeConnectionFailure } from '../../shared/connection-failure.js';
import { randomId } from '../../shared/random-id.js';
import { describeErrorEvent, type ErrorDescription } from '../../shared/error-type.js';
import { HeartbeatWatch } from '../heartbeat-watch.js';
import type { GraphQLWsClientOptionsLike, GraphQLWsMessageLike } from './graphql-ws-types.js';
import { SubscriptionJourneys } from './subscription-journeys.js';

/** Options of instrumentGraphQLWsClient. */
export interface InstrumentGraphQLWsClientOptions {
  tracker: Tracker;
  /** Options of the client's logical connection (server.address, extra attributes, ...). */
  connection?: ConnectionOptions;
}

/** graphql-ws's default retryAttempts. */
const DEFAULT_RETRY_ATTEMPTS = 5;

/**
 * Returns graphql-ws `createClient` options that report the client to
 * `tracker`, the app's own listeners and functions still called as before:
 * `createClient(instrumentGraphQLWsClient({ url, ... }, { tracker }))`.
 * Recorded: each attempt ('connecting') as conn.opening, the server's
 * connection_ack ('connected') as conn.open (with downtime after a drop),
 * 'closed' as conn.close with code, reason, clean and initiator (and, for
 * an attempt that was never acknowledged, the failure from its 'error'),
 * each retry as conn.reconnect.scheduled (attempt; delay measured from the
 * close to the retry's start, so any retryWait works), retryAttempts used
 * up as conn.reconnect.gave_up, keepAlive pings answered as
 * tv.heartbeat.rtt, and operations as message journeys (see
 * SubscriptionJourneys). Never throws into the app.
 */
export function instrumentGraphQLWsClient<O extends GraphQLWsClientOptionsLike>(clientOptions: O, options: InstrumentGraphQLWsClientOptions): O {
  const report = createFailureReporter(warningsOf(options.tracker));
  return guarded(report, 'instrumentGraphQLWsClient', clientOptions, () => {
    const handle = options.tracker.connection(options.connection);
    const heartbeat = new HeartbeatWatch(handle);
    const journeys = new SubscriptionJourneys(handle);
    const retryAttempts = clientOptions.retryAttempts ?? DEFAULT_RETRY_ATTEMPTS;
    let retries = 0;
    let closedAt: number | undefined;
    let lastError: ErrorDescription | undefined;
    let closedHere = false;
    // shouldRetry said no: graphql-ws stops; reported at the close (or at once if the socket closed already).
    let declined = false;
    let socketClosed = false;
    let gaveUp = false;
    const giveUp = () => {
      if (gaveUp) return;
      gaveUp = true;
      handle.gaveUp(retries);
    };
    const safely = (where: string, fn: () => void) => guarded(report, where, undefined, fn);

    const ours: Required<NonNullable<GraphQLWsClientOptionsLike['on']>> = {
      connecting: (isRetry: unknown) =>
        safely('graphql-ws connecting', () => {
          lastError = undefined;
          declined = false;
          socketClosed = false;
          gaveUp = false;
          closedHere = false;
          if (isRetry === true) {
            retries++;
            if (closedAt !== undefined) handle.reconnectScheduled({ attempt: retries, delayMs: performance.now() - closedAt });
          }
          closedAt = undefined;
          handle.opening(isRetry === true ? retries : 1);
        }),
      opened: (socket: unknown) =>
        safely('graphql-ws opened', () => {
          // To name who closed: the client closes through the socket's close() (lazy close, ack timeout, dispose).
          const target = socket as { close?: (...args: unknown[]) => unknown; _closeFrameReceived?: unknown };
          const close = target.close;
          if (typeof close !== 'function') return;
          target.close = function (this: unknown, ...args: unknown[]): unknown {
            if (target._closeFrameReceived !== true) closedHere = true;
            return close.apply(this, args);
          };
        }),
      connected: () =>
        safely('graphql-ws connected', () => {
          // graphql-ws starts counting retries again once a connection is acknowledged.
          retries = 0;
          handle.opened();
        }),
      ping: (received: unknown) => safely('graphql-ws ping', () => received === false && heartbeat.pingSent()),
      pong: (received: unknown) => safely('graphql-ws pong', () => received === true && heartbeat.pongReceived()),
      message: (message: GraphQLWsMessageLike) => safely('graphql-ws message', () => journeys.incoming(message)),
      error: (error: unknown) =>
        safely('graphql-ws error', () => {
          lastError = describeErrorEvent(error instanceof Error ? { error } : (error as object));
          handle.error(lastError.errorType, lastError.message);
        }),
      closed: (event: unknown) =>
        safely('graphql-ws closed', () => {
          const { code, reason, wasClean } = (event ?? {}) as { code?: unknown; reason?: unknown; wasClean?: unknown };
          const closeCode = typeof code === 'number' ? code : 1005;
          // client.terminate() (the app's keep-alive watchdog, usually) closes with 4499 before any socket close() runs.
          const terminated = closeCode === CLOSE_TERMINATED;
          if (terminated) heartbeat.terminating();
          const missed = heartbeat.missed;
          heartbeat.reset();
          const initiator = closeCode === CLOSE_ABNORMAL ? undefined : closedHere || terminated ? 'client' : 'server';
          handle.closed({
            ...describeConnectionFailure(lastError),
            code: closeCode,
            ...(typeof reason === 'string' && reason !== '' ? { reason } : {}),
            ...(typeof wasClean === 'boolean' ? { clean: wasClean } : {}),
            ...(initiator ? { initiator } : {}),
            ...(missed > 0 ? { heartbeatMissed: missed } : {}),
          });
          closedAt = performance.now();
          socketClosed = true;
          // graphql-ws stops once shouldRetry declined or retryAttempts are used up (1000 is a lazy close, not a failure).
          if (declined || (closeCode !== CLOSE_NORMAL && retries >= retryAttempts)) giveUp();
        }),
    };

    const theirs = clientOptions.on ?? {};
    const on: Record<string, (...args: any[]) => void> = { ...theirs };
    for (const [event, listener] of Object.entries(ours)) {
      const their = theirs[event as keyof typeof theirs];
      // Ours first, so a throwing listener of the app cannot hide the event from us.
      on[event] = their ? (...args: unknown[]) => (listener(...(args as [never])), their(...args)) : listener;
    }

    // Wrapped (graphql-ws's default replaced by our random ids) to learn each operation's id and name.
    const makeId = clientOptions.generateID ?? (() => randomId());
    const generateID = (payload: unknown) => {
      const id = makeId(payload);
      safely('graphql-ws generateID', () => journeys.created(id, payload));
      return id;
    };

    const theirReplacer = clientOptions.jsonMessageReplacer;
    // JSON.stringify calls a replacer first with key '' and the whole message: the moment a message is written.
    const jsonMessageReplacer = function (this: unknown, key: string, value: unknown): unknown {
      if (key === '' && value && typeof value === 'object') safely('graphql-ws outgoing message', () => journeys.outgoing(value as GraphQLWsMessageLike));
      return theirReplacer ? theirReplacer.call(this, key, value) : value;
    };

    // Wrapped to see the client decline a retry; graphql-ws's default retries close events only.
    const theirShouldRetry = clientOptions.shouldRetry ?? isLikeCloseEvent;
    const shouldRetry = (errOrCloseEvent: unknown): boolean => {
      const retry = theirShouldRetry(errOrCloseEvent);
      if (!retry) safely('graphql-ws shouldRetry', () => (socketClosed ? giveUp() : (declined = true)));
      return retry;
    };

    return { ...clientOptions, on, generateID, jsonMessageReplacer, shouldRetry };
  });
}

/** graphql-ws's own default shouldRetry: anything shaped like a close event. */
function isLikeCloseEvent(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'code' in value && 'reason' in value;
}
