import { WebSocket } from 'ws';

/** A decoded frame from the server. */
export type Frame = Record<string, unknown>;

/**
 * A bare `ws` client that speaks the protocol by hand, for testing the
 * server frame by frame. Every wait rejects after a timeout instead of
 * hanging, so a missing frame fails the test.
 */
export class RawClient {
  readonly frames: Frame[] = [];
  private closeResult: Promise<{ code: number; reason: string }>;
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (!isBinary) this.frames.push(JSON.parse(data.toString()) as Frame);
      for (const wake of this.waiters.splice(0)) wake();
    });
    ws.on('error', () => {});
    this.closeResult = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  /** Opens a connection to ws://127.0.0.1:port. */
  static async connect(port: number): Promise<RawClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    const client = new RawClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  /** Opens a connection and says hello; resolves with the server's answer (welcome or resume-failed). */
  static async hello(port: number, sid: string, lastSeq = 0): Promise<{ client: RawClient; answer: Frame }> {
    const client = await RawClient.connect(port);
    client.send({ t: 'hello', sid, lastSeq });
    const answer = await client.next((f) => f['t'] === 'welcome' || f['t'] === 'resume-failed');
    return { client, answer };
  }

  /** Sends a frame (objects are JSON-encoded). */
  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Frames of one type received so far. */
  framesOf(t: string): Frame[] {
    return this.frames.filter((frame) => frame['t'] === t);
  }

  /** Resolves with the first frame (already received or future) matching `predicate`. */
  async next(predicate: (frame: Frame) => boolean, timeoutMillis = 2_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMillis;
    for (;;) {
      const found = this.frames.find(predicate);
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching frame within ${timeoutMillis} ms; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves with the close code and reason (rejects after a timeout). */
  async closed(timeoutMillis = 2_000): Promise<{ code: number; reason: string }> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`not closed within ${timeoutMillis} ms`)), timeoutMillis);
    });
    try {
      return await Promise.race([this.closeResult, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes (normal closure by default). */
  close(code = 1000): void {
    this.ws.close(code);
  }

  /** Drops the TCP connection without a close frame. */
  terminate(): void {
    this.ws.terminate();
  }
}
