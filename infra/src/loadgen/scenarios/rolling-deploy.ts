import type { ChatFleet } from '../fleet/chat-fleet.js';
import type { ScenarioContext } from './scenario.js';

/** Share of a fleet's clients that must be connected again for a deploy to count as recovered. */
const RECOVERED_SHARE = 0.95;

/**
 * A rolling deploy of `fleet`'s gateways, as CI would do it: the deploy
 * marker is recorded as the rollout starts, then each gateway in turn is
 * restarted with the next build (clients get 1001 and reconnect to the
 * others, resuming their sessions) with `deployStepMillis` between
 * restarts; finally it waits for the clients to be back.
 */
export async function rollingDeploy(context: ScenarioContext, fleet: ChatFleet, label: string): Promise<void> {
  const version = fleet.nextGatewayVersion();
  context.step(`${label}: deploy marker ${fleet.service} ${version}`);
  await context.recordDeploy(fleet, version);
  const gateways = fleet.gateways;
  for (const [i, gateway] of gateways.entries()) {
    context.step(`${label}: restarting ${gateway.name} with ${version} (${i + 1}/${gateways.length}, ${gateway.connectionCount} clients)`);
    await fleet.restartGateway(gateway, version);
    if (i < gateways.length - 1) await context.sleep(context.timings.deployStepMillis);
  }
  context.step(`${label}: waiting for ${fleet.service} clients to come back`);
  await context.waitUntil(() => fleet.connectedShare() >= RECOVERED_SHARE, context.timings.recoveryTimeoutMillis);
}
