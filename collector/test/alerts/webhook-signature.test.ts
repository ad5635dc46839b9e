import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhookBody, verifyWebhookSignature } from '../../src/alerts/notify/webhook-signature.js';

describe('webhook signature', () => {
  const raw = '{"version":1,"text":"Reconnect storm – chat"}';
  const secret = 'shared-secret-0123456789';

  it('is sha256=<hex HMAC-SHA256 of the raw UTF-8 bytes>, the same for a string and its bytes', () => {
    const expected = `sha256=${createHmac('sha256', secret).update(Buffer.from(raw, 'utf8')).digest('hex')}`;
    expect(signWebhookBody(raw, secret)).toBe(expected);
    expect(signWebhookBody(Buffer.from(raw, 'utf8'), secret)).toBe(expected);
    expect(signWebhookBody(new TextEncoder().encode(raw), secret)).toBe(expected);
  });

  it('verifies with the secret and fails with another secret, another body or a malformed header', () => {
    const header = signWebhookBody(raw, secret);
    expect(verifyWebhookSignature(raw, header, secret)).toBe(true);
    expect(verifyWebhookSignature(raw, header.toUpperCase().replace('SHA256=', 'sha256='), secret)).toBe(true);
    expect(verifyWebhookSignature(raw, header, 'other-secret-0123456789')).toBe(false);
    expect(verifyWebhookSignature(`${raw} `, header, secret)).toBe(false);
    for (const bad of [undefined, null, '', header.slice(7), `sha1=${header.slice(7)}`, header.slice(0, -2), [header]]) {
      expect(verifyWebhookSignature(raw, bad, secret)).toBe(false);
    }
  });
});
