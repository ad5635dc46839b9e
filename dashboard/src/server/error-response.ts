/** A JSON error in the collector's shape, `{ error: { status, code, message } }`, never cached. */
export function errorResponse(status: number, code: string, message: string, extra: Record<string, unknown> = {}): Response {
  return Response.json({ error: { status, code, message, ...extra } }, { status, headers: { 'cache-control': 'no-store' } });
}
