/** The shortest password the collector accepts (docs/security.md). */
export const MIN_PASSWORD_LENGTH = 12;

/** What is wrong with a password change before it is sent, or null when it may go. */
export function passwordChangeProblem(current: string, next: string, repeated: string): string | null {
  if (!current) return 'Enter your current password.';
  if (next.length < MIN_PASSWORD_LENGTH) return `The new password needs at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (next !== repeated) return 'The two new passwords differ.';
  if (next === current) return 'The new password is the same as the current one.';
  return null;
}
