import { encodeSignInProblem, SIGN_IN_PROBLEM_COOKIE, SIGN_IN_PROBLEM_PATH } from '../auth/sign-in-problem';

/** Long enough to follow the redirect to /login, short enough not to greet a later visit. */
const MAX_AGE_SECONDS = 60;

/**
 * The Set-Cookie value that leaves a message for the sign-in page (see
 * auth/sign-in-problem.ts for why a cookie): readable by the page's script,
 * only on /login, for a minute, SameSite=Lax so it arrives on the redirect
 * that follows the provider's return, Secure over HTTPS.
 */
export function signInProblemCookie(message: string, options: { secure: boolean }): string {
  return [
    `${SIGN_IN_PROBLEM_COOKIE}=${encodeSignInProblem(message)}`,
    `Path=${SIGN_IN_PROBLEM_PATH}`,
    'SameSite=Lax',
    `Max-Age=${MAX_AGE_SECONDS}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}
