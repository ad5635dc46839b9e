'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useSession } from '@/auth/SessionProvider';
import { isAdmin } from '@/auth/session-types';

/** The dashboard's pages, in navigation order. */
export const PAGES = [
  { href: '/', label: 'Overview' },
  { href: '/lookup', label: 'Lookup' },
  { href: '/deploys', label: 'Deploys' },
  { href: '/alerts', label: 'Alerts' },
  { href: '/reliability', label: 'Reliability' },
] as const;

/** The admin pages' entry (Keys, then Users), listed for admins only; the collector refuses everyone else anyway. */
const ADMIN_PAGE = { href: '/admin/keys', label: 'Admin' } as const;

/** True when `pathname` is `href`'s page or one below it; the admin entry covers every /admin page. */
function isCurrent(href: string, pathname: string): boolean {
  if (href === '/') return pathname === '/';
  return pathname.startsWith(href === ADMIN_PAGE.href ? '/admin' : href);
}

/** Top navigation; the current page is marked for sighted and screen-reader users alike. */
export function NavBar() {
  const pathname = usePathname();
  const session = useSession();
  const admin = session.status === 'signed_in' && isAdmin(session.session.principal);
  const pages = admin ? [...PAGES, ADMIN_PAGE] : PAGES;
  return (
    <nav aria-label="Main" className="tv-nav">
      <ul>
        {pages.map((page) => {
          const current = isCurrent(page.href, pathname);
          return (
            <li key={page.href}>
              <Link href={page.href} aria-current={current ? 'page' : undefined}>
                {page.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
