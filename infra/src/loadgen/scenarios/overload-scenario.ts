import type { FleetGateway } from '../fleet/fleet-transport.js';
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
 * conn.reconnect.scheduled delays. The busiest "chat-socketio" gateway,
 * when that fleet runs, is overloaded alongside: Socket.IO has no close
 * codes, so its clients see their transport close and their handshakes
 * refused (HTTP 403), and retry on their usual backoff.
 */
export const overloadScenario: Scenario = {
  name: 'overload',
  summary: 'the busiest "chat" (and "chat-socketio") gateway sheds its clients with 1013 and refuses new ones, then recovers',
  async run(context) {
    const busiest = context.chatFleets.flatMap((fleet) => {
      const gateway = fleet.gateways.filter((g) => g.running).sort((a, b) => b.connectionCount - a.connectionCount)[0];
      return gateway === undefined ? [] : [gateway];
    });
    if (busiest.length === 0) {
      context.step('overload: skipped, no gateway is running');
      return;
    }
    const overload = (on: boolean) => busiest.forEach((g: FleetGateway) => g.setOverloaded(on));
    overload(true);
    try {
      const shed = busiest.map((g) => `${g.name} sheds ${g.shed(CLOSE_TRY_AGAIN_LATER, 'overloaded, try again later')}`).join(', ');
      context.step(`overload: ${shed} clients with 1013 and refuses new ones for ${Math.round(context.timings.overloadMillis / 1000)} s`);
      await context.sleep(context.timings.overloadMillis);
    } finally {
      overload(false);
    }
    context.step(`overload: ${busiest.map((g) => g.name).join(', ')} recovered; waiting for clients to come back`);
    await context.waitUntil(
      () => context.chatFleets.every((f) => f.connectedShare() >= RECOVERED_SHARE),
      context.timings.recoveryTimeoutMillis,
    );
  },
};
