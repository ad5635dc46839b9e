'use client';

import { useState } from 'react';
import { EmptyState } from '@/shared/EmptyState';
import { ErrorState } from '@/shared/ErrorState';
import { QueryStates } from '@/shared/QueryStates';
import type { CreatedKeyResponse } from './admin-types';
import { AdminNav } from './AdminNav';
import { AdminOnly } from './AdminOnly';
import { AdminRoleNeeded } from './AdminRoleNeeded';
import { CreateKeyForm } from './CreateKeyForm';
import { KeyTable } from './KeyTable';
import { NewKeySecret } from './NewKeySecret';
import { useAdminKeys } from './use-admin-keys';

/** The keys, the new key's secret (once) and the form, for admins. */
function KeysAdmin() {
  const { query, create, revoke, revoking, revokeProblem } = useAdminKeys();
  const [created, setCreated] = useState<CreatedKeyResponse | null>(null);
  if (query.problem?.status === 403) return <AdminRoleNeeded />;
  return (
    <>
      {created ? <NewKeySecret key={created.key.id} created={created} onDone={() => setCreated(null)} /> : null}
      <section className="tv-card tv-admin-section" aria-labelledby="keys-title">
        <h2 id="keys-title">Keys of this tenant</h2>
        <QueryStates query={query} loadingLabel="Loading the keys…" />
        {revokeProblem ? <ErrorState compact problem={revokeProblem.problem} /> : null}
        {query.data ? (
          query.data.keys.length > 0 ? (
            <KeyTable keys={query.data.keys} revoking={revoking} onRevoke={(id) => void revoke(id)} />
          ) : (
            <EmptyState title="No keys yet">
              <p>Create one below for each service that sends telemetry, and for each script that reads.</p>
            </EmptyState>
          )
        ) : null}
      </section>
      <section className="tv-card tv-admin-section">
        <CreateKeyForm
          onCreate={async (body) => {
            const result = await create(body);
            if (result.ok) setCreated(result.data);
            return result;
          }}
        />
      </section>
    </>
  );
}

/** `/admin/keys`: the tenant's keys: list, create (the secret shown once), revoke. */
export function AdminKeysPage() {
  return (
    <div className="tv-page" data-page="admin-keys">
      <div className="tv-page-header">
        <h1>Keys</h1>
      </div>
      <AdminNav />
      <AdminOnly>
        <KeysAdmin />
      </AdminOnly>
    </div>
  );
}
