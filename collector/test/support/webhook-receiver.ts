import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

/** One request the receiver got. */
export interface ReceivedWebhook {
  at: number;
  headers: IncomingHttpHeaders;
  raw: string;
  body: any;
}

/** A real HTTP server standing in for on-call's webhook receiver. */
export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Status to answer the next requests with (default 200); each call to `failNext(n)` answers n requests with 500 first. */
  failNext(times: number): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let failures = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = null;
      try {
        body = JSON.parse(raw);
      } catch {
        // kept as raw
      }
      received.push({ at: Date.now(), headers: request.headers, raw, body });
      if (failures > 0) {
        failures -= 1;
        response.writeHead(500).end('receiver down');
      } else {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    failNext(times) {
      failures = times;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
