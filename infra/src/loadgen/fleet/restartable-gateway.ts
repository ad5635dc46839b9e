import type { TelemetryPipeline } from '../telemetry/telemetry-pipeline.js';

/** What every running gateway instance has, whatever its transport. */
export interface GatewayInstance {
  /** The port it listens on. */
  readonly port: number;
  /** Its own telemetry, as a new process would have. */
  readonly pipeline: TelemetryPipeline;
}

/**
 * The restart and stop lifecycle the ws and Socket.IO gateways share, so a
 * deploy behaves the same on both wires: one instance at a time on a fixed
 * port, a restart closes it and opens the new build on the same port, and
 * each closed instance exports its last telemetry in the background, which
 * stop() waits for. Subclasses say how an instance opens and closes.
 */
export abstract class RestartableGateway<I extends GatewayInstance> {
  private readonly pending = new Set<Promise<void>>();
  private current: I | undefined;
  private currentVersion: string;
  private listenPort = 0;

  protected constructor(version: string) {
    this.currentVersion = version;
  }

  /** The port it listens on (the same across restarts). */
  get port(): number {
    return this.listenPort;
  }

  /** The build running now. */
  get version(): string {
    return this.currentVersion;
  }

  /** Whether an instance is running (false while restarting). */
  get running(): boolean {
    return this.current !== undefined;
  }

  /** The running instance; undefined while restarting or stopped. */
  protected get instance(): I | undefined {
    return this.current;
  }

  /** Opens the first instance on a free port. */
  protected async openFirst(): Promise<void> {
    this.current = await this.openOn(0);
  }

  /**
   * Restarts with `version`: closes the instance (its clients reconnect,
   * to the other gateway while this one is marked down), then opens a new
   * one on the same port.
   */
  async restart(version: string): Promise<void> {
    await this.closeCurrent();
    this.currentVersion = version;
    this.current = await this.openOn(this.listenPort);
  }

  /** Closes the running instance and waits for its telemetry to be exported. Never rejects. */
  async stop(): Promise<void> {
    await this.closeCurrent();
    await Promise.all([...this.pending]);
  }

  /** Starts an instance of the current version listening on `port` (0: any free port). */
  protected abstract open(port: number): Promise<I>;

  /** Closes an instance's listener and connections. */
  protected abstract close(instance: I): Promise<void>;

  private async openOn(port: number): Promise<I> {
    const instance = await this.open(port);
    this.listenPort = instance.port;
    return instance;
  }

  private async closeCurrent(): Promise<void> {
    const old = this.current;
    this.current = undefined;
    if (old === undefined) return;
    await this.close(old);
    // Export the instance's last events in the background; stop() waits for it.
    const shutdown = old.pipeline.shutdown();
    this.pending.add(shutdown);
    void shutdown.finally(() => this.pending.delete(shutdown));
  }
}
