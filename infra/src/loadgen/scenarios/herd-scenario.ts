import { rollingDeploy } from './rolling-deploy.js';
import type { Scenario } from './scenario.js';

/**
 * herd: the same rolling deploy for "chat-legacy" (and "chat-legacy-socketio"), whose clients have
 * jitter off (every client waits exactly the same before reconnecting).
 * Look for its deploy marker and, next to the "chat" deploy, a reconnect
 * spike packed into a single second: the impact report says
 * thundering_herd: true.
 */
export const herdScenario: Scenario = {
  name: 'herd',
  summary: 'rolling restart of the "chat-legacy" (and "chat-legacy-socketio") gateways; clients without jitter come back as a thundering herd',
  async run(context) {
    if (context.legacyFleets.length === 0) {
      context.step('herd: skipped, there is no chat-legacy fleet (--legacy-clients 0)');
      return;
    }
    await Promise.all(context.legacyFleets.map((fleet) => rollingDeploy(context, fleet, 'herd')));
  },
};
