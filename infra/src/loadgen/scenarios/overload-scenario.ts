import type { Scenario } from './scenario.js';

/** WebSocket close code "try again later". */
const CLOSE_TRY_AGAIN_LATER = 1013;
/** Share of clients that must be connected again for the scenario to end early. */
const RECOVERED_SHARE = 0.95;

/**
 * overload: the busiest "chat" gateway becomes overloaded for
 * `overloadMillis`: it sheds its clients with close code 1013 ("try
 * again later") and refuses new connections with 1013 too, so those
 * clients back off far longer than after a deploy (at least 5 s, four
 * times the usual growth) until some land on the other gateway; then it
 * recovers. Look for 1013 in the close-code breakdown and long
 * conn.reconnect.scheduled delays.
 */
export const overloadScenario: Scenario = {
  name: 'overload',
  summary: 'the busiest "chat" gateway sheds its clients with 1013 and refuses new ones, then recovers',
  async run(context) {
    const fleet = context.chat;
    const gateway = fleet.gateways.filter((g) => g.running).sort((a, b) => b.connectionCount - a.connectionCount)[0];
    if (gateway === undefined) {
      context.step('overload: skipped, no gateway is running');
      return;
    }
    gateway.setOverloaded(true);
    try {
      const shed = gateway.shed(CLOSE_TRY_AGAIN_LATER, 'overloaded, try again later');
      context.step(
        `overload: ${gateway.name} sheds ${shed} clients with 1013 and refuses new ones for ${Math.round(context.timings.overloadMillis / 1000)} s`,
      );
      await context.sleep(context.timings.overloadMillis);
    } finally {
      gateway.setOverloaded(false);
    }
    context.step(`overload: ${gateway.name} recovered; waiting for clients to come back`);
    await context.waitUntil(() => fleet.connectedShare() >= RECOVERED_SHARE, context.timings.recoveryTimeoutMillis);
  },
};
