import { redirect } from 'next/navigation';

/** `/admin`: the keys are the admin pages' first tab. */
export default function Page() {
  redirect('/admin/keys');
}
