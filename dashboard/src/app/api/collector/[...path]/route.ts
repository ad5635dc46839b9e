import type { NextRequest } from 'next/server';
import { MAX_BODY_BYTES, proxyToCollector, type ProxyMethod } from '@/server/proxy-to-collector';

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
    host: request.headers.get('x-forwarded-host') ?? request.headers.get('host') ?? undefined,
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

/** POST /api/collector/silences: creates a silence (the only POST forwarded). */
export function POST(request: NextRequest, context: Context): Promise<Response> {
  return forward('POST', request, context);
}

/** DELETE /api/collector/silences/<id>: expires a silence (the only DELETE forwarded). */
export function DELETE(request: NextRequest, context: Context): Promise<Response> {
  return forward('DELETE', request, context);
}
