import { rollingDeploy } from './rolling-deploy.js';
import type { Scenario } from './scenario.js';

/**
 * deploy: a rolling deploy of the "chat" gateways (and of "chat-socketio"'s
 * at the same time, each with its own marker, when that fleet runs). Look for the deploy
 * marker, the reconnect spike right after it (close code 1001, clients
 * back within seconds, resumed sessions), and in the deploy's impact
 * report a herd verdict of false: the jittered clients come back spread
 * over several seconds.
 */
export const deployScenario: Scenario = {
  name: 'deploy',
  summary: 'rolling restart of the "chat" (and "chat-socketio") gateways with a deploy marker; jittered clients reconnect spread out',
  async run(context) {
    await Promise.all(context.chatFleets.map((fleet) => rollingDeploy(context, fleet, 'deploy')));
  },
};
