import type { ConnectionHandle } from '../../tracker/tracker-types.js';

/**
 * The Socket.IO transport a connection's events were reported on
 * (`polling`, `websocket`, `webtransport`): Socket.IO usually starts on
 * HTTP long-polling and upgrades, so it can change during a connection.
 * Not a docs/semconv.md attribute: it stays in LogAttributes.
 */
export const TRANSPORT_ATTRIBUTE = 'socket.io.transport';

/** Sets the transport attribute to `name` (an engine.io transport's name; anything else is ignored). */
export function reportTransport(handle: ConnectionHandle, name: unknown): void {
  if (typeof name === 'string') handle.setAttributes({ [TRANSPORT_ATTRIBUTE]: name });
}
