import type { NextRequest } from 'next/server';
import { MAX_BODY_BYTES, proxyToCollector, type ProxyMethod } from '@/server/proxy-to-collector';
import { requestHost } from '@/server/same-origin-write';

type Context = { params: Promise<{ path: string[] }> };

async function forward(method: ProxyMethod, request: NextRequest, context: Context): Promise<Response> {
  const { path } = await context.params;
  // Read at most a little more than the limit, so the proxy can refuse an oversized body by its size.
  const body = method === 'POST' ? (await request.text()).slice(0, MAX_BODY_BYTES + 1) : undefined;
  return proxyToCollector({
    method,
    segments: path,
    search: request.nextUrl.search,
    body,
    headers: request.headers,
    host: requestHost(request.headers),
    signal: request.signal,
  });
}

/**
 * GET /api/collector/<path>: the browser's only way to the collector's
 * query API (/api/v1/<path>). Same origin, so no CORS; the collector's
 * address stays on the server.
 */
export function GET(request: NextRequest, context: Context): Promise<Response> {
  return forward('GET', request, context);
}

/** POST /api/collector/<path>: creates a silence, a key or a user (the only POSTs forwarded). */
export function POST(request: NextRequest, context: Context): Promise<Response> {
  return forward('POST', request, context);
}

/** DELETE /api/collector/<path>: expires a silence, revokes a key or deletes a user (the only DELETEs forwarded). */
export function DELETE(request: NextRequest, context: Context): Promise<Response> {
  return forward('DELETE', request, context);
}
