import { afterEach, beforeEach, vi, type MockInstance } from 'vitest';
import { diag, logs, metrics, type DiagLogger, type DiagLogLevel } from '@opentelemetry/api';
import { startOtlpStubServer, type OtlpStubServer, type StubBehaviour } from './otlp-stub-server.js';

/**
 * Shared set-up of the export diagnostics tests: what reaches the diag
 * logger and the console, and real telemetry against stub collectors.
 */

/** What our diagnostics start with, which sets them apart from OpenTelemetry's own diag output. */
const OURS = 'TunnelVision:';

/** One message that reached the diag logger. */
export interface DiagRecord {
  readonly level: 'error' | 'warn' | 'info';
  readonly message: string;
}

/** Records what reaches the OpenTelemetry diag logger: error, warn and info (debug and verbose are dropped). */
export class DiagRecorder {
  readonly recorded: DiagRecord[] = [];

  readonly logger: DiagLogger = {
    error: (message) => void this.recorded.push({ level: 'error', message }),
    warn: (message) => void this.recorded.push({ level: 'warn', message }),
    info: (message) => void this.recorded.push({ level: 'info', message }),
    debug: () => undefined,
    verbose: () => undefined,
  };

  /** Starts an empty record and makes this the diag logger, at `level`. */
  install(level: DiagLogLevel): void {
    this.recorded.length = 0;
    diag.setLogger(this.logger, level);
  }

  /** Every warning, in order. */
  readonly warnings = (): string[] => this.messages('warn');
  /** Every info message, in order. */
  readonly infos = (): string[] => this.messages('info');
  /** Our messages, at every level. */
  readonly ours = (): DiagRecord[] => this.recorded.filter((r) => r.message.startsWith(OURS));
  /** Our warnings (OpenTelemetry's own are left out). */
  readonly ourWarnings = (): string[] => this.messages('warn').filter((m) => m.startsWith(OURS));
  /** Our info messages (OpenTelemetry's own are left out). */
  readonly ourInfos = (): string[] => this.messages('info').filter((m) => m.startsWith(OURS));

  private messages(level: DiagRecord['level']): string[] {
    return this.recorded.filter((r) => r.level === level).map((r) => r.message);
  }
}

/** Mutes console.warn, and with `info` console.info too, until vi.restoreAllMocks(); returns the console.warn spy. */
export function muteConsole({ info = false }: { info?: boolean } = {}): MockInstance<typeof console.warn> {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  if (info) vi.spyOn(console, 'info').mockImplementation(() => undefined);
  return warn;
}

/** OTEL_* variables that would change where, or whether, the Node SDK exports. */
const OTEL_VARIABLES = [
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT',
  'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TIMEOUT',
  'OTEL_SDK_DISABLED',
  'OTEL_LOG_LEVEL',
];

export interface StubCollectorHarnessOptions {
  /** The level the diag recorder is installed at. */
  readonly diagLevel: DiagLogLevel;
  /** Also mutes console.info. */
  readonly muteInfo?: boolean;
  /**
   * For setupNodeTelemetry: blanks the OTEL_* variables before each test,
   * and disables the global logs and metrics providers after it.
   */
  readonly node?: boolean;
}

/** What a test of telemetry against a stub collector uses; see stubCollectorHarness. */
export interface StubCollectorHarness<T extends { shutdown(): Promise<void> }> {
  /** What reached the diag logger in this test. */
  readonly diag: DiagRecorder;
  /** This test's muted console.warn. */
  readonly consoleWarn: MockInstance<typeof console.warn>;
  /** Remembers `telemetry` to shut it down after the test, and returns it. */
  track(telemetry: T): T;
  /** Starts a stub collector, closed after the test. */
  serve(behaviour: StubBehaviour): Promise<OtlpStubServer>;
}

/**
 * Registers the set-up and teardown of tests of real telemetry over real
 * HTTP against stub collectors: before each test, a diag recorder and a
 * muted console; after it, the tracked telemetry shut down, the stub
 * collector closed, and diag, mocks and environment restored.
 */
export function stubCollectorHarness<T extends { shutdown(): Promise<void> }>(options: StubCollectorHarnessOptions): StubCollectorHarness<T> {
  const recorder = new DiagRecorder();
  let consoleWarn: MockInstance<typeof console.warn> | undefined;
  let telemetry: T | undefined;
  let server: OtlpStubServer | undefined;

  beforeEach(() => {
    if (options.node) {
      // The test decides the endpoint; a developer's OTEL_* variables must not redirect it.
      for (const name of OTEL_VARIABLES) vi.stubEnv(name, '');
    }
    recorder.install(options.diagLevel);
    consoleWarn = muteConsole({ info: options.muteInfo });
  });

  afterEach(async () => {
    await telemetry?.shutdown();
    await server?.close();
    telemetry = undefined;
    server = undefined;
    if (options.node) {
      // Each test sets up its own global providers.
      logs.disable();
      metrics.disable();
    }
    diag.disable();
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  return {
    diag: recorder,
    get consoleWarn() {
      if (!consoleWarn) throw new Error('consoleWarn is muted in beforeEach: use it inside a test');
      return consoleWarn;
    },
    track: (tracked) => (telemetry = tracked),
    serve: async (behaviour) => (server = await startOtlpStubServer(behaviour)),
  };
}
