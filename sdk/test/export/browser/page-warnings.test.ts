import { diag } from '@opentelemetry/api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPageTracker } from '../../../src/export/browser/create-page-tracker.js';
import { setupBrowserTelemetry } from '../../../src/export/browser/setup-browser-telemetry.js';
import type { BrowserTelemetry } from '../../../src/export/browser/browser-telemetry-types.js';
import { instrumentWebSocket } from '../../../src/instrumentation/instrument-web-socket.js';
import type { WebSocketLike } from '../../../src/shared/web-socket-like.js';
import { createFakeFetch } from './fake-fetch.js';

/**
 * Where the SDK's own warnings go in a page: the browser entry carries no
 * OpenTelemetry diag logger, so they go to the console, and once telemetry
 * is set up to its `logger` option too (or only there, without the
 * console); integrations given a browser tracker or handle warn the same way.
 */

let telemetry: BrowserTelemetry | undefined;

afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
  vi.restoreAllMocks();
});

/** A socket whose every listener registration fails, so instrumenting it fails. */
const brokenSocket = (): WebSocketLike =>
  ({
    readyState: 0,
    url: 'wss://chat.test/ws',
    addEventListener: () => {
      throw new Error('no listeners here');
    },
  }) as unknown as WebSocketLike;

describe('warnings of the browser entry', () => {
  it('go to the console before telemetry is set up, and never to the OpenTelemetry diag logger', () => {
    const consoleWarn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const diagWarn = vi.spyOn(diag, 'warn');
    createPageTracker({ sampling: { successRatio: 3 } });
    expect(consoleWarn).toHaveBeenCalledWith('@tunnelvision/sdk: sampling.successRatio 3 is out of range; using 1');
    expect(diagWarn).not.toHaveBeenCalled();
  });

  it("go to the set-up's logger (and not the console when consoleWarnings is false), from the tracker and from an integration given its handle", () => {
    const consoleWarn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const said: string[] = [];
    const logger = { error: (m: string) => void said.push(`error ${m}`), warn: (m: string) => void said.push(`warn ${m}`), info: () => undefined };
    telemetry = setupBrowserTelemetry({ endpoint: 'https://collector.test', serviceName: 'chat-web', fetch: createFakeFetch().fetch, consoleWarnings: false, logger });

    const tracker = createPageTracker({ atRiskTimeoutMillis: -5 });
    instrumentWebSocket(brokenSocket(), tracker.connection());

    expect(said).toEqual([
      'warn @tunnelvision/sdk: atRiskTimeoutMillis must be a number >= 0; using 30000',
      expect.stringMatching(/^warn @tunnelvision\/sdk: instrumentWebSocket failed; telemetry may be incomplete .*: Error: no listeners here$/),
    ]);
    expect(consoleWarn).not.toHaveBeenCalled();
  });

  it('say why set-up cannot work, with console.error and the logger', () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const errors: string[] = [];
    const logger = { error: (m: string) => void errors.push(m), warn: () => undefined, info: () => undefined };
    telemetry = setupBrowserTelemetry({ serviceName: 'chat-web', logger } as never);
    const expected = 'TunnelVision: setupBrowserTelemetry needs an endpoint (the collector base URL); telemetry is off';
    expect(errors).toEqual([expected]);
    expect(consoleError).toHaveBeenCalledWith(expected);
  });
});
