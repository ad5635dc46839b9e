import Link from 'next/link';

/** Unknown paths. */
export default function NotFound() {
  return (
    <div className="tv-page">
      <h1>Page not found</h1>
      <p>
        Try the <Link href="/">Overview</Link>, <Link href="/lookup">Lookup</Link> or <Link href="/deploys">Deploys</Link>.
      </p>
    </div>
  );
}
