/**
 * WebSocket close codes in words (RFC 6455 section 7.4 and the IANA
 * registry), for timelines and breakdowns a support agent can read.
 */
const MEANINGS: Readonly<Record<number, string>> = {
  1000: 'normal closure',
  1001: 'going away (server shutting down or page navigating away)',
  1002: 'protocol error',
  1003: 'unsupported data',
  1005: 'closed without a status code',
  1006: 'connection lost without a close frame',
  1007: 'invalid message data',
  1008: 'policy violation',
  1009: 'message too big',
  1010: 'missing extension',
  1011: 'server error',
  1012: 'service restart',
  1013: 'try again later (server overloaded)',
  1014: 'bad gateway',
  1015: 'TLS handshake failed',
};

/** "1006: connection lost without a close frame"-style text for any code. */
export function describeCloseCode(code: number): string {
  const meaning = MEANINGS[code];
  if (meaning) return `${code}: ${meaning}`;
  if (code >= 4000 && code <= 4999) return `${code}: application-defined`;
  if (code >= 3000 && code <= 3999) return `${code}: library or framework-defined`;
  return `${code}: unknown close code`;
}

/**
 * Codes that mean a connection ended abnormally: it broke (1006, lost
 * without a close frame; 1011, server error; 1014, bad gateway; 1015, TLS
 * handshake failed) rather than being closed on purpose (1000, 1001, 1012,
 * 1013), refused (1008) or closed by the application (4000-4999). The one
 * definition of an abnormal close: the SDK logs these at WARN, and the
 * collector's `abnormal_closes` series, its alert and the close-code
 * breakdown count exactly these (docs/semconv.md, "Close codes").
 */
export const ABNORMAL_CLOSE_CODES: readonly number[] = [1006, 1011, 1014, 1015];
