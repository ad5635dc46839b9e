import type { ConnectionHandle, ConnectionOptions, MessageHandle, Tracker } from './tracker-types.js';

const noop = (): void => {};

/** A message handle that records nothing: what a failing tracker hands out instead of throwing. */
export function noopMessageHandle(messageId: string): MessageHandle {
  return { messageId, sent: noop, queued: noop, retried: noop, replayed: noop, acked: noop, dropped: noop };
}

/** A connection handle that records nothing. */
export function noopConnectionHandle(): ConnectionHandle {
  return {
    connectionId: '',
    opening: () => '',
    opened: noop,
    closed: noop,
    error: noop,
    stateChanged: noop,
    reconnectScheduled: noop,
    gaveUp: noop,
    heartbeat: noop,
    heartbeatMissed: noop,
    resumed: noop,
    queueDepth: noop,
    message: (messageId) => noopMessageHandle(messageId),
    received: noop,
    duplicate: noop,
    gap: noop,
    setAttributes: noop,
    dispose: noop,
  };
}

/**
 * A connection handle from `tracker`, or one that records nothing when
 * there is no tracker or it fails: code that reports has a single path.
 */
export function connectionHandleOf(tracker: Tracker | undefined, options: ConnectionOptions): ConnectionHandle {
  if (tracker === undefined) return noopConnectionHandle();
  try {
    return tracker.connection(options);
  } catch {
    return noopConnectionHandle();
  }
}

/** A tracker that records nothing, for when even creating one failed. */
export function noopTracker(sessionId: string): Tracker {
  return { sessionId, connection: () => noopConnectionHandle(), setUserId: noop };
}
