import { patchProperty } from '../../shared/patch-property.js';
import { guarded, type FailureReporter } from '../../tracker/failure-reporter.js';
import { HELLO_EVENT, takeMessageId } from './message-id-marker.js';

/** What arrives, as the instrumentation sees it before Socket.IO dispatches it. */
export interface IncomingHandlers {
  /** An event that carried a message id (the id is taken off first). */
  received(messageId: string, event: string): void;
  /** The peer's hello; consumed, so the app never sees it. */
  hello?(): void;
}

/**
 * Wraps the socket's `onevent` (where Socket.IO 4 hands every incoming
 * event packet to onAny listeners and handlers) to take the message-id
 * argument off and report it, before any app code sees the arguments. A
 * Socket.IO without `onevent` is left alone: ids are then not stripped, so
 * `available` is false and the peer is never told to send them.
 *
 * @returns what undoes it, and whether the wrap took place.
 */
export function interceptIncoming(socket: object, handlers: IncomingHandlers, report: FailureReporter): { available: boolean; restore: () => void } {
  const target = socket as { onevent?: (packet: unknown) => unknown };
  const original = target.onevent;
  if (typeof original !== 'function') return { available: false, restore: () => {} };
  const inspect = (packet: unknown): boolean =>
    guarded(report, 'socket.io onevent', false, () => {
      const data = (packet as { data?: unknown } | null)?.data;
      if (!Array.isArray(data) || typeof data[0] !== 'string') return false;
      if (data[0] === HELLO_EVENT && handlers.hello) {
        handlers.hello();
        return true;
      }
      const id = takeMessageId(data);
      if (id !== undefined) handlers.received(id, data[0]);
      return false;
    });
  const restore = patchProperty(target, 'onevent', function (this: unknown, packet: unknown): unknown {
    if (inspect(packet)) return undefined;
    return original.call(this, packet);
  });
  return { available: true, restore };
}
