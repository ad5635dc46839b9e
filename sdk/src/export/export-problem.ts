/**
 * What went wrong with one export, as far as the exporter can tell, in
 * words a person can act on. Two failures with the same key at the same
 * collector are the same problem, and are reported once.
 */
export interface ExportProblem {
  /** Identity of the problem: `HTTP 404`, `ECONNREFUSED`, `timeout`. */
  readonly key: string;
  /** What happened and what it usually means, e.g. `HTTP 404 (nothing is served at this URL: ...)`. */
  readonly description: string;
}

/** What an HTTP status usually means for an OTLP export. */
function statusHint(status: number): string {
  if (status === 404 || status === 405) return 'nothing takes OTLP at this URL: is the endpoint the base URL of the collector?';
  if (status === 401 || status === 403) return 'the collector refused the credentials: check the headers (API key)';
  if (status === 400) return 'the collector could not read the request';
  if (status === 413) return 'the request was too large for the collector or a proxy';
  if (status === 429 || status === 502 || status === 503 || status === 504) return 'the collector is overloaded or unavailable';
  return status >= 500 ? 'the collector failed' : 'the collector refused the request';
}

/** A response with a status other than 2xx. `detail` is what the collector said, if anything (shortened). */
export function httpStatusProblem(status: number, detail?: string): ExportProblem {
  const said = detail?.trim() ? `; it said: ${shorten(detail.trim())}` : '';
  return { key: `HTTP ${status}`, description: `HTTP ${status} (${statusHint(status)}${said})` };
}

/** What a network error code usually means. */
function networkHint(code: string): string {
  if (code === 'ECONNREFUSED') return 'nothing accepts connections there: is the collector running, on this port?';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'the connection closed before an answer';
  if (/CERT|TLS|SSL/.test(code)) return "the collector's TLS certificate was not accepted";
  return 'the host cannot be reached';
}

/** A request that failed below HTTP, with a system error code such as ECONNREFUSED. */
export function networkErrorProblem(code: string, message?: string): ExportProblem {
  const said = message?.trim() && message.trim() !== code ? ` (${shorten(message.trim())})` : '';
  return { key: code, description: `${code}${said}: ${networkHint(code)}` };
}

/** A request that got no answer in time. */
export function noAnswerProblem(timeoutMillis: number): ExportProblem {
  return {
    key: 'timeout',
    description: `no answer within ${timeoutMillis} ms: a hung collector or proxy, or a port that is not the collector's`,
  };
}

/** Anything else, described by its message. */
export function otherProblem(message: string): ExportProblem {
  return { key: message, description: shorten(message) };
}

/** At most 200 characters, on one line. */
function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
