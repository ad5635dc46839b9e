/** Attempts to re-bind the same port after a restart (the old listener may take a moment to let go). */
const REBIND_ATTEMPTS = 50;
const REBIND_DELAY_MILLIS = 100;

/**
 * Runs `listen(port)`, retrying while the port is still in use: a gateway
 * restarted by a deploy must come back on the same port (the balancer
 * knows it by port). Port 0 (any free port) is never retried.
 */
export async function listenOnSamePort<T>(port: number, listen: (port: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await listen(port);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== 'EADDRINUSE' || attempt >= REBIND_ATTEMPTS || port === 0) throw error;
      await new Promise((resolve) => setTimeout(resolve, REBIND_DELAY_MILLIS));
    }
  }
}
