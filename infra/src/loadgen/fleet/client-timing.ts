/** Reconnect timing of a client fleet's sockets. */
export interface ClientTiming {
  /** Time between a pong and the next ping, in ms. */
  heartbeatIntervalMillis: number;
  /** How long a ping waits for its pong, in ms. */
  pongTimeoutMillis: number;
  /** Time allowed for a connection to open and be welcomed, in ms. */
  connectTimeoutMillis: number;
  /** Cap on any reconnect delay, in ms. */
  maxDelayMillis: number;
  /** Lower end of the range each client's base reconnect delay is drawn from, in ms. */
  minInitialDelayMillis: number;
  /** Upper end of that range, in ms (equal to the lower end with jitter off: every client waits the same). */
  maxInitialDelayMillis: number;
  /** Random share of each reconnect delay, either way (0 = none: a thundering herd). */
  jitterRatio: number;
}
