'use client';

import { useEffect, useRef, useState } from 'react';
import type { CreatedKeyResponse } from './admin-types';

/**
 * The new key's secret, shown this once (the collector keeps only a
 * digest), with a copy button and a plain warning. It lives in this page's
 * memory only: a reload or "Done" and it is gone.
 */
export function NewKeySecret({ created, onDone }: { created: CreatedKeyResponse; onDone: () => void }) {
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const ref = useRef<HTMLElement>(null);
  // Move focus here, so keyboard and screen-reader users land on the secret they must copy.
  useEffect(() => ref.current?.focus(), []);
  const onCopy = async () => {
    try {
      await navigator.clipboard.writeText(created.secret);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  };
  return (
    <section ref={ref} tabIndex={-1} className="tv-new-secret" aria-labelledby="new-secret-title" data-new-key={created.key.id}>
      <h2 id="new-secret-title">Key “{created.key.name}” created</h2>
      <p className="tv-new-secret-warning">
        <strong>Copy the key now: it will not be shown again.</strong> The collector keeps only a digest of it; if it is lost, revoke it and create another.
      </p>
      <div className="tv-secret-row">
        <code data-secret>{created.secret}</code>
        <button type="button" className="tv-button tv-button-primary" onClick={onCopy} data-action="copy-secret">
          Copy
        </button>
      </div>
      <p role="status" className="tv-copy-status">
        {copy === 'copied' ? 'Copied to the clipboard.' : copy === 'failed' ? 'This browser blocked copying: select the key and copy it by hand.' : ''}
      </p>
      <button type="button" className="tv-button tv-button-quiet" onClick={onDone} data-action="secret-done">
        Done, I have stored it
      </button>
    </section>
  );
}
