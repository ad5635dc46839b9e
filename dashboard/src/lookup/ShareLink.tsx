'use client';

import { useState } from 'react';

/** A lookup's shareable link, with a copy button. */
export function ShareLink({ href }: { href: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    const absolute = new URL(href, window.location.href).toString();
    try {
      await navigator.clipboard.writeText(absolute);
      setCopied(true);
      setTimeout(() => setCopied(false), 2_000);
    } catch {
      window.prompt('Copy this link', absolute);
    }
  };
  return (
    <p className="tv-share-link">
      <a href={href} data-share-link>
        Link to this lookup
      </a>
      <button type="button" className="tv-button tv-button-quiet" onClick={copy}>
        {copied ? 'Copied' : 'Copy link'}
      </button>
      <span className="tv-visually-hidden" aria-live="polite">
        {copied ? 'Link copied' : ''}
      </span>
    </p>
  );
}
