import type { CollectorAnswer } from './collector-call';

/** The message of an error body in the collector's shape, `{ error: { message } }`, or undefined. */
function messageOf(body: unknown): string | undefined {
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  return typeof message === 'string' && message.trim() !== '' ? message : undefined;
}

/**
 * What went wrong with a collector call, as one sentence for the sign-in
 * page: the collector's own message when it refused (401, 403, 404…), or
 * the dashboard's when the collector could not be reached. `fallback`
 * covers an answer without a message.
 */
export async function collectorProblem(answer: CollectorAnswer, fallback: string): Promise<string> {
  if (answer.ok) return messageOf(answer.json) ?? fallback;
  const body: unknown = await answer.response.json().catch(() => null);
  return messageOf(body) ?? fallback;
}
