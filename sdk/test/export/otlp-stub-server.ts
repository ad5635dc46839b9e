import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How the stub answers: a status for every request (with an optional body), or never. */
export type StubBehaviour = { readonly status: number; readonly body?: string } | 'hang';

/** A real HTTP server on a free loopback port standing in for a collector. */
export interface OtlpStubServer {
  /** Base URL, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  /** Paths of the requests received, in order. */
  readonly paths: string[];
  /** How it answers from now on. */
  behaviour: StubBehaviour;
  /** Closes the server and every connection (hung requests included). */
  close(): Promise<void>;
}

/**
 * Starts a stub collector on port 0 that reads each request and answers
 * with `behaviour`: a fixed status, or, for 'hang', accepts the request and
 * never answers (a hung collector or proxy).
 */
export async function startOtlpStubServer(behaviour: StubBehaviour): Promise<OtlpStubServer> {
  const sockets = new Set<Socket>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    stub.paths.push(request.url ?? '');
    request.resume();
    request.on('end', () => {
      const behaviour = stub.behaviour;
      if (behaviour === 'hang') return;
      response.writeHead(behaviour.status, { 'content-type': 'application/json' });
      response.end(behaviour.body ?? (behaviour.status < 300 ? '{}' : ''));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const stub: OtlpStubServer = {
    url: `http://127.0.0.1:${port}`,
    paths: [],
    behaviour,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return stub;
}

/** A URL on loopback where nothing listens (a port that was free a moment ago): connections are refused. */
export async function refusingUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
