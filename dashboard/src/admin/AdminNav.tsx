'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const ADMIN_PAGES = [
  { href: '/admin/keys', label: 'Keys' },
  { href: '/admin/users', label: 'Users' },
] as const;

/** Tabs between the admin pages. */
export function AdminNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Admin" className="tv-subnav">
      <ul>
        {ADMIN_PAGES.map((page) => (
          <li key={page.href}>
            <Link href={page.href} aria-current={pathname === page.href ? 'page' : undefined}>
              {page.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
