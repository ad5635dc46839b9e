// Public surface of @tunnelvision/sdk (browser and Node). Node-only set-up
// lives in '@tunnelvision/sdk/node', the browser exporter in
// '@tunnelvision/sdk/browser', the conventions in '@tunnelvision/sdk/semconv' (the
// '@tunnelvision/semconv' package).
export { createTracker } from './tracker/create-tracker.js';
export type {
  Tracker,
  TrackerOptions,
  ConnectionHandle,
  ConnectionOptions,
  MessageHandle,
  MessageInfo,
  CloseInfo,
  ReconnectInfo,
  ResumeInfo,
  MessageSamplingOptions,
} from './tracker/tracker-types.js';
export { instrumentWebSocket } from './instrumentation/instrument-web-socket.js';
export type { InstrumentWebSocketOptions, DetachInstrumentation } from './instrumentation/instrument-web-socket.js';
export { trackedWebSocketClass } from './instrumentation/tracked-web-socket-class.js';
export type { TrackedWebSocketClassOptions, TrackedWebSocket, WebSocketClass } from './instrumentation/tracked-web-socket-class.js';
export { withHandshakeIds, handshakeIdentity } from './instrumentation/handshake-ids.js';
export type { HandshakeIds, HandshakeIdentity } from './instrumentation/handshake-ids.js';
export type { WebSocketLike } from './shared/web-socket-like.js';
export { ResilientWebSocket } from './client/resilient-web-socket.js';
export { RESILIENT_WEB_SOCKET_DEFAULTS } from './client/resilient-web-socket-options.js';
export type { ResilientWebSocketOptions } from './client/resilient-web-socket-options.js';
export type {
  ResilientWebSocketEventMap,
  ResilientMessageEvent,
  ResilientOpenEvent,
  ResilientCloseEvent,
  ResilientStateEvent,
  ResilientResyncEvent,
  ResilientAckEvent,
  ResilientDropEvent,
  ResilientErrorEvent,
  ResilientSendOptions,
} from './client/resilient-web-socket-events.js';
export type { ClosedReason } from './client/client-state.js';
export { SEMCONV_VERSION, SEMCONV_SCHEMA_URL, EVENT_NAMES, METRICS, describeCloseCode } from '@tunnelvision/semconv';
export type { EventName, MetricConvention } from '@tunnelvision/semconv';
