import { guarded, type FailureReporter } from '../../tracker/failure-reporter.js';
import type { WebSocketLike } from '../../shared/web-socket-like.js';

/** The private field both libraries assign each attempt's WebSocket to (`this._ws = new WebSocket(url)`). */
const SOCKET_FIELD = '_ws';

/**
 * Calls `onAttempt` with every WebSocket the reconnecting socket creates,
 * as it creates it, by turning its `_ws` field into an accessor on the
 * instance. That is the only moment an attempt becomes visible: the
 * libraries emit no event when a retry starts. Returns false (and does
 * nothing) when the field cannot be redefined, i.e. a library version that
 * no longer works this way.
 */
export function watchAttempts(socket: object, onAttempt: (ws: WebSocketLike) => void, report: FailureReporter): boolean {
  const descriptor = Object.getOwnPropertyDescriptor(socket, SOCKET_FIELD);
  if (descriptor && (!descriptor.configurable || descriptor.get || descriptor.set)) return false;
  let current: unknown = descriptor?.value;
  Object.defineProperty(socket, SOCKET_FIELD, {
    configurable: true,
    enumerable: descriptor?.enumerable ?? true,
    get: () => current,
    set: (value: unknown) => {
      current = value;
      if (value && typeof value === 'object') guarded(report, 'watching a reconnect attempt', undefined, () => onAttempt(value as WebSocketLike));
    },
  });
  return true;
}
