/** What one POST to the webhook came to. Never an exception: every outcome is a value. */
export type AttemptResult =
  /** The receiver answered; `bodyPreview` is the start of its response (a few KiB at most). */
  | { kind: 'response'; status: number; retryAfter: string | null; bodyPreview: string }
  /** No (complete) response within the attempt's timeout. */
  | { kind: 'timeout'; timeoutMillis: number }
  /** Connection refused or reset, DNS failure, TLS error... */
  | { kind: 'network-error'; message: string }
  /** The caller's signal cut it short (close()). */
  | { kind: 'aborted' };

/** One delivery attempt. */
export interface WebhookRequest {
  url: string;
  /** The exact bytes sent (and signed). */
  payload: Uint8Array<ArrayBuffer>;
  headers: Record<string, string>;
  /** The whole attempt, response body included, ends after this long. */
  timeoutMillis: number;
  /** Aborts the attempt (close()). */
  signal: AbortSignal;
}

/** Response bytes read for the log; the rest is discarded. */
const PREVIEW_BYTES = 4096;

/** POSTs once. Never rejects and never follows redirects. */
export async function postWebhook(request: WebhookRequest): Promise<AttemptResult> {
  if (request.signal.aborted) return { kind: 'aborted' };
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeoutMillis);
  timer.unref();
  const onAbort = () => controller.abort();
  request.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.payload,
      signal: controller.signal,
      redirect: 'manual',
    });
    // A 2xx counts even if reading its body then times out: the receiver has it.
    const bodyPreview = await readPreview(response);
    return { kind: 'response', status: response.status, retryAfter: response.headers.get('retry-after'), bodyPreview };
  } catch (err) {
    if (timedOut) return { kind: 'timeout', timeoutMillis: request.timeoutMillis };
    if (request.signal.aborted) return { kind: 'aborted' };
    return { kind: 'network-error', message: describeFetchError(err) };
  } finally {
    clearTimeout(timer);
    request.signal.removeEventListener('abort', onAbort);
  }
}

/** The first few KiB of the body as text; reading the rest would only cost time and memory. */
async function readPreview(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < PREVIEW_BYTES) {
      const { done, value } = await reader.read();
      if (done) return Buffer.concat(chunks).toString('utf8');
      chunks.push(value);
      size += value.byteLength;
    }
    await reader.cancel().catch(() => undefined);
    return Buffer.concat(chunks).toString('utf8').slice(0, PREVIEW_BYTES);
  } catch {
    return Buffer.concat(chunks).toString('utf8');
  }
}

/** undici reports "fetch failed" and hides the useful part in `cause`. */
function describeFetchError(err: unknown): string {
  const cause = err instanceof Error ? err.cause : undefined;
  const detail = cause instanceof AggregateError ? cause.errors[0] : cause;
  if (detail instanceof Error) {
    const code = (detail as NodeJS.ErrnoException).code;
    const message = detail.message || code || detail.name;
    return message.slice(0, 300);
  }
  return (err instanceof Error ? err.message : String(err)).slice(0, 300);
}
