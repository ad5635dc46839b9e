import { deployScenario } from './deploy-scenario.js';
import { herdScenario } from './herd-scenario.js';
import { lossScenario } from './loss-scenario.js';
import { overloadScenario } from './overload-scenario.js';
import { SCENARIO_NAMES, type Scenario, type ScenarioName } from './scenario.js';
import { steadyScenario } from './steady-scenario.js';
import { tunnelScenario } from './tunnel-scenario.js';

/** Every scenario by name. */
export const SCENARIOS: Readonly<Record<ScenarioName, Scenario>> = {
  deploy: deployScenario,
  herd: herdScenario,
  tunnel: tunnelScenario,
  overload: overloadScenario,
  loss: lossScenario,
  steady: steadyScenario,
};

/** What `all` stands for: every scenario that does something (steady is the traffic under them). */
export const ALL_SCENARIOS: readonly ScenarioName[] = ['deploy', 'herd', 'tunnel', 'overload', 'loss'];

/** Whether `name` is a scenario's name. */
export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}

/**
 * Parses a comma-separated scenario list ("deploy,tunnel", "all"); the
 * result is the names in order, or the first unknown name.
 */
export function parseScenarioList(text: string): { ok: true; names: ScenarioName[] } | { ok: false; unknown: string } {
  const names: ScenarioName[] = [];
  for (const raw of text.split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    if (name === 'all') names.push(...ALL_SCENARIOS);
    else if (isScenarioName(name)) names.push(name);
    else return { ok: false, unknown: name };
  }
  return { ok: true, names };
}
