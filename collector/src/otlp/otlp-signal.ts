/** The three OTLP signals the collector accepts, named as in their URL paths. */
export type OtlpSignal = 'logs' | 'metrics' | 'traces';

export const OTLP_SIGNALS: readonly OtlpSignal[] = ['logs', 'metrics', 'traces'];
