/**
 * A tiny typed listener registry: `on(event, fn)` returns an unsubscribe
 * function. A listener that throws does not stop the others and never
 * reaches the code that emitted the event; like EventTarget, the error is
 * reported through `reportError` where the platform has it, else console.error.
 */
export class TypedListeners<EventMap extends object> {
  private readonly listeners = new Map<keyof EventMap, Set<(event: never) => void>>();

  /** Adds a listener; the returned function removes it (idempotent). */
  on<K extends keyof EventMap>(event: K, listener: (event: EventMap[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const entry = listener as (event: never) => void;
    set.add(entry);
    return () => {
      this.listeners.get(event)?.delete(entry);
    };
  }

  /** Calls every listener of `event` with `payload`. */
  emit<K extends keyof EventMap>(event: K, payload: EventMap[K]): void {
    const set = this.listeners.get(event);
    if (set === undefined || set.size === 0) return;
    for (const listener of [...set]) {
      try {
        (listener as (event: EventMap[K]) => void)(payload);
      } catch (error) {
        reportListenerError(error);
      }
    }
  }

  /** Removes every listener. */
  clear(): void {
    this.listeners.clear();
  }
}

function reportListenerError(error: unknown): void {
  try {
    const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
    if (typeof report === 'function') report(error);
    else console.error(error);
  } catch {
    // Reporting must not throw either.
  }
}
