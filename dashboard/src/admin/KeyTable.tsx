'use client';

import { useState } from 'react';
import { formatDateTime, NO_VALUE } from '@/shared/format';
import type { ApiKey } from './admin-types';
import { ConfirmInRow } from './ConfirmInRow';

/** A collector time (ISO) as the dashboard shows times, or a dash. */
function when(iso: string | null | undefined): string {
  const at = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(at) ? formatDateTime(at) : NO_VALUE;
}

/**
 * The tenant's keys (stacked on phones). Revoking asks first, in the row:
 * a revoked key stops working at once and cannot be restored.
 */
export function KeyTable({ keys, revoking, onRevoke }: { keys: readonly ApiKey[]; revoking: ReadonlySet<string>; onRevoke: (id: string) => void }) {
  const [confirming, setConfirming] = useState<string | null>(null);
  return (
    <div className="tv-table-wrap" tabIndex={0} role="region" aria-label="Keys">
      <table className="tv-table tv-table-stack tv-key-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">ID</th>
            <th scope="col">Kind</th>
            <th scope="col">Scopes</th>
            <th scope="col">Service</th>
            <th scope="col">Origins</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="tv-visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => {
            const revoked = Boolean(key.revoked_at);
            return (
              <tr key={key.id} data-key-id={key.id} data-revoked={revoked ? 'true' : 'false'}>
                <th scope="row" data-label="Name">
                  {key.name}
                </th>
                <td data-label="ID">
                  <code>{key.id}</code>
                </td>
                <td data-label="Kind">{key.kind}</td>
                <td data-label="Scopes">{key.scopes.join(', ')}</td>
                <td data-label="Service">{key.service || NO_VALUE}</td>
                <td data-label="Origins" className="tv-key-origins">
                  {key.origins && key.origins.length > 0 ? key.origins.join(', ') : NO_VALUE}
                </td>
                <td data-label="Created">{when(key.created_at)}</td>
                <td data-label="Last used">{when(key.last_used_at)}</td>
                <td data-label="Status">
                  {revoked ? (
                    <span className="tv-badge tv-badge-quiet" data-key-status="revoked">
                      Revoked {when(key.revoked_at)}
                    </span>
                  ) : (
                    <span className="tv-badge tv-badge-good" data-key-status="active">
                      Active
                    </span>
                  )}
                </td>
                <td className="tv-key-action">
                  {revoked ? null : (
                    <ConfirmInRow
                      subject={key.name}
                      action="Revoke"
                      busyLabel="Revoking…"
                      warning="Apps using it stop at once."
                      asking={confirming === key.id}
                      busy={revoking.has(key.id)}
                      onAsk={() => setConfirming(key.id)}
                      onCancel={() => setConfirming(null)}
                      onConfirm={() => {
                        setConfirming(null);
                        onRevoke(key.id);
                      }}
                    />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
