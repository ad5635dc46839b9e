'use client';

import { useState } from 'react';
import { formatDateTime, NO_VALUE } from '@/shared/format';
import type { DashboardUser } from './admin-types';
import { ConfirmInRow } from './ConfirmInRow';

/**
 * The tenant's users (stacked on phones). Deleting asks first, in the row;
 * the signed-in admin has no delete button, so nobody locks themselves out
 * by a slip.
 */
export function UserTable({
  users,
  me,
  removing,
  onRemove,
}: {
  users: readonly DashboardUser[];
  me: string | undefined;
  removing: ReadonlySet<string>;
  onRemove: (username: string) => void;
}) {
  const [confirming, setConfirming] = useState<string | null>(null);
  return (
    <div className="tv-table-wrap" tabIndex={0} role="region" aria-label="Users">
      <table className="tv-table tv-table-stack tv-user-table">
        <thead>
          <tr>
            <th scope="col">User name</th>
            <th scope="col">Role</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span className="tv-visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => {
            const created = user.created_at ? Date.parse(user.created_at) : NaN;
            return (
              <tr key={user.username} data-username={user.username}>
                <th scope="row" data-label="User name">
                  {user.username}
                  {user.username === me ? <span className="tv-muted"> (you)</span> : null}
                </th>
                <td data-label="Role">{user.role}</td>
                <td data-label="Created">{Number.isFinite(created) ? formatDateTime(created) : NO_VALUE}</td>
                <td className="tv-user-action">
                  {user.username === me ? null : (
                    <ConfirmInRow
                      subject={user.username}
                      action="Delete"
                      busyLabel="Deleting…"
                      warning="Their sessions end at once."
                      asking={confirming === user.username}
                      busy={removing.has(user.username)}
                      onAsk={() => setConfirming(user.username)}
                      onCancel={() => setConfirming(null)}
                      onConfirm={() => {
                        setConfirming(null);
                        onRemove(user.username);
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
