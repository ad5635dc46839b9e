/**
 * Watches the browser's online/offline events. Active only where the
 * platform has them (`globalThis.addEventListener` and a boolean
 * `navigator.onLine`); elsewhere (Node) it reports "online" and never fires.
 */
export class NetworkStatus {
  private unsubscribe: (() => void) | undefined;

  /** Whether the platform reports network events at all. */
  static isSupported(): boolean {
    const g = globalThis as { addEventListener?: unknown; navigator?: { onLine?: unknown } };
    return typeof g.addEventListener === 'function' && typeof g.navigator?.onLine === 'boolean';
  }

  /** The device's view of connectivity; true when unknown. */
  static isOnline(): boolean {
    if (!NetworkStatus.isSupported()) return true;
    return (globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine !== false;
  }

  /** Starts listening (idempotent); `onChange(true)` on online, `onChange(false)` on offline. */
  start(onChange: (online: boolean) => void): void {
    if (this.unsubscribe !== undefined || !NetworkStatus.isSupported()) return;
    const g = globalThis as unknown as {
      addEventListener(type: string, fn: () => void): void;
      removeEventListener?(type: string, fn: () => void): void;
    };
    const online = (): void => onChange(true);
    const offline = (): void => onChange(false);
    try {
      g.addEventListener('online', online);
      g.addEventListener('offline', offline);
    } catch {
      return;
    }
    this.unsubscribe = () => {
      try {
        g.removeEventListener?.('online', online);
        g.removeEventListener?.('offline', offline);
      } catch {
        // Ignore: nothing to undo.
      }
    };
  }

  /** Stops listening (idempotent). */
  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
