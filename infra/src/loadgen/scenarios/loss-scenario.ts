import type { Scenario } from './scenario.js';

/** Share of the tunnel cohort that must have noticed the black hole before the burst. */
const DETECTED_SHARE = 0.9;
/** Share of the tunnel cohort that must be connected again for the scenario to end early. */
const RECOVERED_SHARE = 0.95;

/**
 * loss: the tunnel is black-holed again, and once the heartbeats have
 * noticed (clients without heartbeats, the feature_flag.resilience=off
 * cohort, never notice: they keep sending on the dead link, where messages
 * are retried and then dropped as attempts_exhausted or cut with it),
 * every tunnel client sends a burst of `lossBurstMessages` into
 * its small offline queue (`tunnelQueueSize`), so the oldest messages are
 * dropped with reason queue_full (msg.dropped; the messages_lost series;
 * verdict "dropped" with the reason in /api/v1/timeline?message_id=).
 * After `lossHoldMillis` the tunnel ends and the rest replays.
 */
export const lossScenario: Scenario = {
  name: 'loss',
  summary: 'tunnel clients overflow their offline queues during a black hole; dropped messages are findable by id',
  async run(context) {
    const cohort = context.fleets.flatMap((f) => f.tunnelClients);
    if (cohort.length === 0) {
      context.step('loss: skipped, no client uses the tunnel (--tunnel-share 0)');
      return;
    }
    // Only clients with heartbeats can notice; waiting for the others would always time out.
    const watching = cohort.filter((c) => c.heartbeats);
    context.step(`loss: ${cohort.length} tunnel clients black-holed; waiting for heartbeats to notice`);
    for (const fleet of context.fleets) fleet.network.blackholeTunnel();
    try {
      await context.waitUntil(
        () => watching.filter((c) => !c.isOpen).length >= DETECTED_SHARE * watching.length,
        context.timings.detectionTimeoutMillis,
      );
      const burst = context.timings.lossBurstMessages;
      context.step(`loss: each tunnel client sends ${burst} messages while cut off (ws: more than its offline queue holds; Socket.IO: buffered without limit, lost when their acks time out)`);
      for (const client of cohort) {
        for (let i = 1; i <= burst; i++) client.say(`burst ${i}/${burst}`);
      }
      await context.sleep(context.timings.lossHoldMillis);
    } finally {
      for (const fleet of context.fleets) fleet.network.restoreTunnel();
    }
    context.step('loss: out of the tunnel; what survived in the queues replays');
    await context.waitUntil(
      () => context.fleets.every((f) => f.connectedShare(f.tunnelClients) >= RECOVERED_SHARE),
      context.timings.recoveryTimeoutMillis,
    );
  },
};
