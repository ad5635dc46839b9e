/** A request the fake fetch received. */
export interface RecordedRequest {
  readonly url: string;
  readonly method: string;
  readonly keepalive: boolean;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** The body parsed as JSON. */
  readonly json: any;
}

/** How the fake answers one request: a Response, or an Error to reject with (a network error). */
export type FakeReply = Response | Error | Promise<Response>;

/**
 * A fetch double that records every request and answers with `reply`
 * (default: 200 `{}`), so tests see exactly what would go on the wire.
 */
export function createFakeFetch(reply: (request: RecordedRequest, index: number) => FakeReply = () => new Response('{}')) {
  const requests: RecordedRequest[] = [];
  const fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const body = String(init?.body ?? '');
    const request: RecordedRequest = {
      url: String(input),
      method: init?.method ?? 'GET',
      keepalive: init?.keepalive === true,
      headers: { ...(init?.headers as Record<string, string>) },
      body,
      json: JSON.parse(body),
    };
    requests.push(request);
    const answer = reply(request, requests.length - 1);
    if (answer instanceof Error) return Promise.reject(answer);
    // Like a real fetch, an aborted request rejects even when no answer ever comes.
    return new Promise<Response>((resolve, reject) => {
      init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      Promise.resolve(answer).then(resolve, reject);
    });
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

/** A JSON response with optional headers. */
export function jsonResponse(status: number, body: unknown = {}, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}
