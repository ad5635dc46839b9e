import type { Scenario } from './scenario.js';

/** Share of the tunnel cohort that must be connected again for the scenario to end early. */
const RECOVERED_SHARE = 0.95;

/**
 * tunnel: the tunnel entrance black-holes all traffic for
 * `tunnelMillis`: nothing is forwarded and nothing is closed, as in a
 * train tunnel. Heartbeats find the dead links (conn.heartbeat.missed,
 * then a close with 4000), reconnect attempts stall (4004 connect
 * timeouts), messages wait in the offline queues (msg.queued), and when
 * the tunnel ends the sessions resume and the queued messages replay
 * (msg.replayed; verdict "replayed" in a tunnel client's timeline).
 * Clients without heartbeats (feature_flag.resilience=off) notice nothing:
 * they sit on the half-open connection, retrying unacked messages into it,
 * until the tunnel ends and cuts it (1006), then reconnect without jitter.
 */
export const tunnelScenario: Scenario = {
  name: 'tunnel',
  summary: 'black-holes the tunnel cohort; heartbeats notice, messages queue, then resume and replay',
  async run(context) {
    const cohort = context.fleets.flatMap((f) => f.tunnelClients);
    if (cohort.length === 0) {
      context.step('tunnel: skipped, no client uses the tunnel (--tunnel-share 0)');
      return;
    }
    context.step(`tunnel: ${cohort.length} tunnel clients black-holed for ${Math.round(context.timings.tunnelMillis / 1000)} s`);
    for (const fleet of context.fleets) fleet.network.blackholeTunnel();
    try {
      await context.sleep(context.timings.tunnelMillis);
    } finally {
      for (const fleet of context.fleets) fleet.network.restoreTunnel();
    }
    context.step('tunnel: out of the tunnel; sessions resume and queued messages replay');
    await context.waitUntil(
      () => context.fleets.every((f) => f.connectedShare(f.tunnelClients) >= RECOVERED_SHARE),
      context.timings.recoveryTimeoutMillis,
    );
  },
};
