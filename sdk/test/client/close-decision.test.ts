import { describe, expect, it, vi } from 'vitest';
import { decideAfterClose } from '../../src/client/close-decision.js';

const allow = () => true;
const refuse = () => false;

describe('decideAfterClose', () => {
  it('stops on 1000 without giving up: the server closed on purpose', () => {
    expect(decideAfterClose(1000, allow)).toEqual({ action: 'stop', reason: 'closed_by_server', gaveUp: false });
  });

  it('gives up on 1008 (policy) and 4002 (session taken over)', () => {
    expect(decideAfterClose(1008, allow)).toEqual({ action: 'stop', reason: 'policy', gaveUp: true });
    expect(decideAfterClose(4002, allow)).toEqual({ action: 'stop', reason: 'taken_over', gaveUp: true });
  });

  it('comes back promptly after a deliberate restart (1001, 1012)', () => {
    for (const code of [1001, 1012]) {
      expect(decideAfterClose(code, allow)).toEqual({ action: 'reconnect', retry: 'normal', resetRetries: true });
    }
  });

  it('backs off longer after 1013 (try again later)', () => {
    expect(decideAfterClose(1013, allow)).toEqual({ action: 'reconnect', retry: 'try_again_later', resetRetries: false });
  });

  it('reconnects with the usual backoff after a drop or a server error', () => {
    for (const code of [1002, 1005, 1006, 1011, 1014, 1015, 3000, 4000, 4999]) {
      expect(decideAfterClose(code, allow)).toEqual({ action: 'reconnect', retry: 'normal', resetRetries: false });
    }
  });

  it('lets the app refuse an application code (4000-4999), and asks about nothing else', () => {
    expect(decideAfterClose(4000, refuse)).toEqual({ action: 'stop', reason: 'rejected', gaveUp: true });
    expect(decideAfterClose(4999, refuse)).toEqual({ action: 'stop', reason: 'rejected', gaveUp: true });
    const ask = vi.fn(refuse);
    for (const code of [1000, 1001, 1006, 1008, 1011, 1013, 3999, 4002, 5000]) decideAfterClose(code, ask);
    expect(ask).not.toHaveBeenCalled();
    decideAfterClose(4500, ask);
    expect(ask).toHaveBeenCalledTimes(1);
  });
});
