/** A server socket as the heartbeat needs it (a `ws` WebSocket). */
interface PingedSocket {
  on(event: 'pong', listener: () => void): unknown;
  ping(): void;
  terminate(): void;
}

/** A server as the heartbeat needs it (a `ws` WebSocketServer). */
interface PingingServer {
  readonly clients: Iterable<PingedSocket>;
  on(event: 'connection', listener: (socket: PingedSocket) => void): unknown;
}

/**
 * The app-level heartbeat of ws's README, as an app that owns its server
 * runs it: every `intervalMillis` ping each socket, and terminate() one
 * whose pong did not come back since the last ping. Returns the stop.
 */
export function pingAndTerminateDead(server: PingingServer, intervalMillis: number): () => void {
  const alive = new WeakMap<object, boolean>();
  server.on('connection', (socket) => {
    alive.set(socket, true);
    socket.on('pong', () => alive.set(socket, true));
  });
  const timer = setInterval(() => {
    for (const socket of server.clients) {
      if (!alive.get(socket)) {
        socket.terminate();
        continue;
      }
      alive.set(socket, false);
      socket.ping();
    }
  }, intervalMillis);
  return () => clearInterval(timer);
}
