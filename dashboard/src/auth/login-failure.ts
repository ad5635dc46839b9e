/** How long to wait, from a Retry-After header in seconds, as words: "1 minute", "15 minutes", "30 seconds". */
function waitWords(retryAfter: string | null): string | null {
  const seconds = Number(retryAfter);
  if (!retryAfter || !Number.isFinite(seconds) || seconds <= 0) return null;
  if (seconds < 60) return `${Math.ceil(seconds)} second${Math.ceil(seconds) === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/**
 * What the sign-in page says when a sign-in fails, from the status, the
 * error body and Retry-After: one message for a wrong name or password
 * (the collector does not say which), how long to wait when throttled,
 * else the server's own message.
 */
export function loginFailureMessage(status: number, body: unknown, retryAfter: string | null): string {
  if (status === 401) return 'Wrong user name or password.';
  if (status === 429) {
    const wait = waitWords(retryAfter);
    return `Too many sign-in attempts. ${wait ? `Try again in ${wait}.` : 'Wait a few minutes, then try again.'}`;
  }
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  return typeof message === 'string' ? message : `Signing in failed (the dashboard server answered ${status}).`;
}
