import { describe, expect, it } from 'vitest';
import { passwordChangeProblem } from '../../src/auth/password-change-draft';

describe('passwordChangeProblem', () => {
  it('asks for the current password, a long enough new one, typed twice, and different', () => {
    expect(passwordChangeProblem('', 'a new long password', 'a new long password')).toBe('Enter your current password.');
    expect(passwordChangeProblem('old one', 'short', 'short')).toBe('The new password needs at least 12 characters.');
    expect(passwordChangeProblem('old one', 'a new long password', 'a new long passwork')).toBe('The two new passwords differ.');
    expect(passwordChangeProblem('a new long password', 'a new long password', 'a new long password')).toBe('The new password is the same as the current one.');
    expect(passwordChangeProblem('old one', 'a new long password', 'a new long password')).toBeNull();
  });
});
