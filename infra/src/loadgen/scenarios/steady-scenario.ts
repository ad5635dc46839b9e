import type { Scenario } from './scenario.js';

/**
 * steady: traffic only, for `steadyMillis`. The chat traffic runs under
 * every scenario anyway; on its own it is the baseline: a flat reconnect
 * line near zero and stable delivery latency (p50 near the median round
 * trip, p99 in the hundreds of ms from the slowest links).
 */
export const steadyScenario: Scenario = {
  name: 'steady',
  summary: 'traffic only: the baseline every other scenario is compared with',
  async run(context) {
    context.step(`steady: traffic only for ${Math.round(context.timings.steadyMillis / 1000)} s`);
    await context.sleep(context.timings.steadyMillis);
  },
};
