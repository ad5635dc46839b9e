/** What a viewer sees on an admin page (and what any page shows when the collector answers 403 to an admin call). */
export function AdminRoleNeeded() {
  return (
    <div role="status" className="tv-state" data-state="forbidden">
      <p className="tv-state-title">You need the admin role</p>
      <p>Keys and users are managed by the admins of your tenant. Ask one of them for a key or an account.</p>
    </div>
  );
}
