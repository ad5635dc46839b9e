'use client';

import { useSession } from '@/auth/SessionProvider';
import { EmptyState } from '@/shared/EmptyState';
import { ErrorState } from '@/shared/ErrorState';
import { QueryStates } from '@/shared/QueryStates';
import { AdminNav } from './AdminNav';
import { AdminOnly } from './AdminOnly';
import { AdminRoleNeeded } from './AdminRoleNeeded';
import { CreateUserForm } from './CreateUserForm';
import { UserTable } from './UserTable';
import { useAdminUsers } from './use-admin-users';

/** The users and the form, for admins. */
function UsersAdmin() {
  const { query, create, remove, removing, removeProblem } = useAdminUsers();
  const session = useSession();
  const me = session.status === 'signed_in' ? session.session.principal.username : undefined;
  if (query.problem?.status === 403) return <AdminRoleNeeded />;
  return (
    <>
      <section className="tv-card tv-admin-section" aria-labelledby="users-title">
        <h2 id="users-title">Users of this tenant</h2>
        <QueryStates query={query} loadingLabel="Loading the users…" />
        {removeProblem ? <ErrorState compact problem={removeProblem.problem} /> : null}
        {query.data ? (
          query.data.users.length > 0 ? (
            <UserTable users={query.data.users} me={me} removing={removing} onRemove={(name) => void remove(name)} />
          ) : (
            <EmptyState title="No users yet" />
          )
        ) : null}
      </section>
      <section className="tv-card tv-admin-section">
        <CreateUserForm onCreate={create} />
      </section>
    </>
  );
}

/** `/admin/users`: the tenant's dashboard users: list, add, delete. */
export function AdminUsersPage() {
  return (
    <div className="tv-page" data-page="admin-users">
      <div className="tv-page-header">
        <h1>Users</h1>
      </div>
      <AdminNav />
      <AdminOnly>
        <UsersAdmin />
      </AdminOnly>
    </div>
  );
}
