import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the test receiver got it: raw bytes, before any parsing. */
export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** performance.now() when the body was complete. */
  at: number;
}

/** How to answer: a status (with headers/body), or `hang` to accept and never answer. */
export type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

export interface TestReceiver {
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** A real HTTP receiver on a free port; `reply` decides each answer from the request and its index. */
export async function startReceiver(reply: (request: ReceivedRequest, index: number) => Reply | Promise<Reply>): Promise<TestReceiver> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received: ReceivedRequest = { headers: req.headers, body: Buffer.concat(chunks), at: performance.now() };
      const index = requests.push(received) - 1;
      void Promise.resolve(reply(received, index)).then((answer) => {
        if (answer === 'hang') return;
        res.writeHead(answer.status, answer.headers).end(answer.body ?? '');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/T000/B000/secret-token`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
