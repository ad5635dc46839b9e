import type { TransportName } from './fleet-transport.js';

/** The load generator's --transport: one wire for every fleet, or both side by side. */
export type LoadgenTransport = TransportName | 'both';

/** Every value --transport takes. */
export const LOADGEN_TRANSPORTS: readonly LoadgenTransport[] = ['ws', 'socket.io', 'both'];

/** Whether `value` is a --transport value. */
export function isLoadgenTransport(value: unknown): value is LoadgenTransport {
  return (LOADGEN_TRANSPORTS as readonly unknown[]).includes(value);
}

/**
 * How many of `clients` each wire gets: all of them for one wire; for
 * `both`, half each, ws getting the odd one. A wire with 0 runs no fleet.
 */
export function splitClients(transport: LoadgenTransport, clients: number): Record<TransportName, number> {
  if (transport === 'ws') return { ws: clients, 'socket.io': 0 };
  if (transport === 'socket.io') return { ws: 0, 'socket.io': clients };
  const half = Math.floor(clients / 2);
  return { ws: clients - half, 'socket.io': half };
}
