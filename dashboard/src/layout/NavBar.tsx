'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

/** The dashboard's pages, in navigation order. */
export const PAGES = [
  { href: '/', label: 'Overview' },
  { href: '/lookup', label: 'Lookup' },
  { href: '/deploys', label: 'Deploys' },
  { href: '/alerts', label: 'Alerts' },
  { href: '/reliability', label: 'Reliability' },
] as const;

/** Top navigation; the current page is marked for sighted and screen-reader users alike. */
export function NavBar() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="tv-nav">
      <ul>
        {PAGES.map((page) => {
          const current = page.href === '/' ? pathname === '/' : pathname.startsWith(page.href);
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
