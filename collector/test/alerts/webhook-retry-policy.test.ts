import { describe, expect, it } from 'vitest';
import { judgeAttempt, parseRetryAfterMillis, retryDelayMillis } from '../../src/alerts/notify/retry-policy.js';

const response = (status: number, retryAfter: string | null = null, bodyPreview = '') => ({ kind: 'response' as const, status, retryAfter, bodyPreview });
const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('judgeAttempt', () => {
  it('counts 2xx as delivered', () => {
    for (const status of [200, 201, 202, 204]) expect(judgeAttempt(response(status), NOW)).toEqual({ action: 'delivered' });
  });

  it('retries 408, 425, 429, 5xx, timeouts and network errors', () => {
    for (const status of [408, 425, 429, 500, 501, 502, 503, 504, 507, 599]) {
      expect(judgeAttempt(response(status), NOW)).toEqual({ action: 'retry', reason: `HTTP ${status}`, minDelayMillis: 0 });
    }
    expect(judgeAttempt({ kind: 'timeout', timeoutMillis: 5000 }, NOW)).toEqual({ action: 'retry', reason: 'no response within 5000 ms', minDelayMillis: 0 });
    expect(judgeAttempt({ kind: 'network-error', message: 'connect ECONNREFUSED 127.0.0.1:9' }, NOW)).toMatchObject({ action: 'retry', reason: 'connect ECONNREFUSED 127.0.0.1:9' });
  });

  it('takes Retry-After from 429 and 503 only', () => {
    expect(judgeAttempt(response(429, '7'), NOW)).toMatchObject({ minDelayMillis: 7000, reason: 'HTTP 429 (Retry-After 7)' });
    expect(judgeAttempt(response(503, 'Thu, 01 Jan 2026 00:00:30 GMT'), NOW)).toMatchObject({ minDelayMillis: 30_000 });
    expect(judgeAttempt(response(500, '7'), NOW)).toMatchObject({ minDelayMillis: 0, reason: 'HTTP 500' });
  });

  it('gives up on other 4xx with the first 200 characters of the response, and on redirects', () => {
    const long = 'e'.repeat(300);
    expect(judgeAttempt(response(400, null, long), NOW)).toEqual({ action: 'give-up', reason: `HTTP 400: ${'e'.repeat(200)}` });
    for (const status of [401, 403, 404, 410, 413, 422]) expect(judgeAttempt(response(status), NOW)).toEqual({ action: 'give-up', reason: `HTTP ${status}` });
    expect(judgeAttempt(response(302), NOW)).toMatchObject({ action: 'give-up', reason: expect.stringMatching(/redirects are not followed/) });
  });
});

describe('parseRetryAfterMillis', () => {
  it('reads delay-seconds and HTTP-dates; past dates are 0; anything else is ignored', () => {
    expect(parseRetryAfterMillis('120', NOW)).toBe(120_000);
    expect(parseRetryAfterMillis(' 0 ', NOW)).toBe(0);
    expect(parseRetryAfterMillis('Thu, 01 Jan 2026 00:01:00 GMT', NOW)).toBe(60_000);
    expect(parseRetryAfterMillis('Wed, 31 Dec 2025 23:00:00 GMT', NOW)).toBe(0);
    for (const bad of [null, undefined, '', '1.5', '-3', 'soon']) expect(parseRetryAfterMillis(bad, NOW)).toBeUndefined();
  });
});

describe('retryDelayMillis', () => {
  const settings = { initialBackoffMillis: 1000, maxBackoffMillis: 60_000 };

  it('doubles the ceiling per failure up to the cap, and draws uniformly below it (full jitter)', () => {
    const top = (n: number) => retryDelayMillis(n, 0, settings, () => 1);
    expect([1, 2, 3, 4, 6, 7, 12].map(top)).toEqual([1000, 2000, 4000, 8000, 32_000, 60_000, 60_000]);
    expect(retryDelayMillis(3, 0, settings, () => 0.5)).toBe(2000);
    expect(retryDelayMillis(3, 0, settings, () => 0)).toBe(0);
  });

  it('never waits less than Retry-After, nor more than the cap', () => {
    expect(retryDelayMillis(1, 5000, settings, () => 0.1)).toBe(5000);
    expect(retryDelayMillis(1, 3_600_000, settings, () => 0.1)).toBe(60_000);
  });
});
