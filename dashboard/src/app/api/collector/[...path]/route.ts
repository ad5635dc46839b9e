import type { NextRequest } from 'next/server';
import { proxyToCollector } from '@/server/proxy-to-collector';

/**
 * GET /api/collector/<path>: the browser's only way to the collector's
 * query API (/api/v1/<path>). Same origin, so no CORS; the collector's
 * address stays on the server.
 */
export async function GET(request: NextRequest, context: { params: Promise<{ path: string[] }> }): Promise<Response> {
  const { path } = await context.params;
  return proxyToCollector(path, request.nextUrl.search, request.signal);
}
