import { WebSocketServer } from 'ws';
import type { ResolvedResilientServerOptions } from './resilient-server-options.js';

/** Where a `ResilientServer` that creates its own WebSocketServer listens. */
export type ListenOptions = Pick<ResolvedResilientServerOptions, 'port' | 'host' | 'path' | 'maxPayloadBytes'>;

/**
 * A WebSocketServer listening as `options` say. Resolves once listening;
 * rejects when it cannot listen (the port is taken). Later server errors
 * are ignored rather than crashing the host.
 */
export async function listenWebSocketServer(options: ListenOptions): Promise<WebSocketServer> {
  const { port, host, path, maxPayloadBytes } = options;
  return await new Promise<WebSocketServer>((resolve, reject) => {
    const wss = new WebSocketServer({
      port,
      maxPayload: maxPayloadBytes,
      ...(host === undefined ? {} : { host }),
      ...(path === undefined ? {} : { path }),
    });
    const onError = (error: Error): void => {
      wss.close();
      reject(error);
    };
    wss.once('error', onError);
    wss.once('listening', () => {
      wss.off('error', onError);
      wss.on('error', () => {});
      resolve(wss);
    });
  });
}

/** Stops a WebSocketServer this server created from listening. Never rejects. */
export async function closeWebSocketServer(wss: WebSocketServer): Promise<void> {
  await new Promise<void>((resolve) => {
    try {
      wss.close(() => resolve());
    } catch {
      resolve();
    }
  });
}
