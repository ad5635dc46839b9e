import {
  httpStatusProblem,
  networkErrorProblem,
  noAnswerProblem,
  otherProblem,
  type ExportProblem,
} from '../export-problem.js';

/**
 * The problem behind the error of a failed OpenTelemetry OTLP/HTTP export
 * (`ExportResult.error`), read from what the exporters put there
 * (@opentelemetry/otlp-exporter-base 0.30x):
 * - an OTLPExporterError whose `code` is the HTTP status and `data` the
 *   response body, for a status that is not retried (400, 404, 500, ...);
 * - the Node error of the last attempt, with its `code` (ECONNREFUSED,
 *   ENOTFOUND, ...), when retries of a network error ran out;
 * - "Request timed out" when the last attempt got no answer in time;
 * - "Export failed with retryable status" when 429, 502, 503 or 504 kept
 *   coming until the export's time ran out (the status is not kept).
 * Anything else is described by its message.
 */
export function problemFromExportError(error: unknown, exportTimeoutMillis: number): ExportProblem {
  if (!(error instanceof Error)) return otherProblem(error === undefined ? 'export failed with no error given' : String(error));
  const { code, data } = error as Error & { code?: unknown; data?: unknown };
  if (error.name === 'OTLPExporterError' && typeof code === 'number') {
    return httpStatusProblem(code, typeof data === 'string' ? data : undefined);
  }
  if (typeof code === 'string' && code !== '') return networkErrorProblem(code, error.message);
  if (error.message === 'Request timed out') return noAnswerProblem(exportTimeoutMillis);
  if (error.message === 'Export failed with retryable status') {
    return {
      key: 'retryable-status',
      description: `the collector answered 429, 502, 503 or 504 (overloaded or unavailable) to every attempt for ${exportTimeoutMillis} ms`,
    };
  }
  return otherProblem(error.message || error.name);
}
