import type { Role } from '@/auth/session-types';

/** The shortest password the collector accepts (docs/security.md). */
export const MIN_PASSWORD_LENGTH = 12;

/** The new-user form as typed; also POST /api/v1/admin/users's body once trimmed. */
export interface UserDraft {
  username: string;
  password: string;
  role: Role;
}

/** A blank form: a viewer. */
export const EMPTY_USER_DRAFT: UserDraft = { username: '', password: '', role: 'viewer' };

/** What is wrong with the draft, worded for the form; empty when it can be sent. */
export function userDraftProblems(draft: UserDraft): string[] {
  const problems: string[] = [];
  if (!draft.username.trim()) problems.push('Enter a user name.');
  if (draft.password.length < MIN_PASSWORD_LENGTH) problems.push(`Use a password of at least ${MIN_PASSWORD_LENGTH} characters.`);
  return problems;
}
