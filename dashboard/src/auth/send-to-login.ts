import { forgetCsrfToken } from '@/collector-api/csrf-token';
import { loginHref } from './login-href';

/** Set once the page is on its way to /login, so the many queries that find the session gone navigate once. */
let leaving = false;

/** Opens /login with `next` set to this page (path and query), unless it is the sign-in page already. */
export function sendToLogin(): void {
  if (typeof window === 'undefined' || leaving || window.location.pathname === '/login') return;
  leaving = true;
  forgetCsrfToken();
  window.location.assign(loginHref({ next: `${window.location.pathname}${window.location.search}` }));
}
