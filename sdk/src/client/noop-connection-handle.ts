import type { ConnectionHandle, MessageHandle } from '../tracker/tracker-types.js';

const NOOP_MESSAGE_HANDLE_METHODS = {
  sent(): void {},
  queued(): void {},
  retried(): void {},
  replayed(): void {},
  acked(): void {},
  dropped(): void {},
};

/**
 * The ConnectionHandle a resilient client uses when it has no tracker:
 * every report is a no-op, so the client's code has a single path.
 */
export function createNoopConnectionHandle(): ConnectionHandle {
  return {
    connectionId: '',
    opening: () => '',
    opened: () => {},
    closed: () => {},
    error: () => {},
    stateChanged: () => {},
    reconnectScheduled: () => {},
    gaveUp: () => {},
    heartbeat: () => {},
    heartbeatMissed: () => {},
    resumed: () => {},
    queueDepth: () => {},
    message: (messageId: string): MessageHandle => ({ messageId, ...NOOP_MESSAGE_HANDLE_METHODS }),
    received: () => {},
    duplicate: () => {},
    gap: () => {},
    dispose: () => {},
  };
}
