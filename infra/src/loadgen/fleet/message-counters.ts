/** Running totals of one fleet's traffic, as its clients and gateways saw it. */
export interface MessageCounters {
  /** Messages clients sent (send() calls). */
  sent: number;
  /** Client messages acknowledged by a gateway. */
  acked: number;
  /** Room messages delivered to clients. */
  received: number;
  /** Room messages gateways sent out (fan-out of client messages). */
  fannedOut: number;
  /** Client messages given up on, by drop reason. */
  dropped: Record<string, number>;
  /** Client re-connections after a drop (opens after the first). */
  reconnects: number;
  /** Client-side connection closes, by close code. */
  closes: Record<string, number>;
}

/** Zeroed counters. */
export function createMessageCounters(): MessageCounters {
  return { sent: 0, acked: 0, received: 0, fannedOut: 0, dropped: {}, reconnects: 0, closes: {} };
}

/** Sum of every drop reason. */
export function totalDropped(counters: MessageCounters): number {
  let total = 0;
  for (const n of Object.values(counters.dropped)) total += n;
  return total;
}

/** Adds `b` into a copy of `a`. */
export function addCounters(a: MessageCounters, b: MessageCounters): MessageCounters {
  const merge = (x: Record<string, number>, y: Record<string, number>) => {
    const out = { ...x };
    for (const [k, v] of Object.entries(y)) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  return {
    sent: a.sent + b.sent,
    acked: a.acked + b.acked,
    received: a.received + b.received,
    fannedOut: a.fannedOut + b.fannedOut,
    dropped: merge(a.dropped, b.dropped),
    reconnects: a.reconnects + b.reconnects,
    closes: merge(a.closes, b.closes),
  };
}
