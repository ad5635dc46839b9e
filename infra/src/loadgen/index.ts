// Public surface of the load generator (the `npm start` orchestrator and tests import from here).
export { startLoadGenerator } from './load-generator.js';
export { startLoadGeneratorCluster } from './cluster/load-generator-cluster.js';
export type { LoadGenerator } from './load-generator.js';
export { LOAD_GENERATOR_DEFAULTS, LoadGeneratorOptionError, resolveLoadGeneratorOptions } from './load-generator-options.js';
export type { LoadGeneratorOptions, ResolvedLoadGeneratorOptions } from './load-generator-options.js';
export type { LoadGeneratorStats } from './load-generator-stats.js';
export type { FleetStats, GatewayStats } from './fleet/fleet-stats.js';
export type { MessageCounters } from './fleet/message-counters.js';
export type { DroppedMessage } from './fleet/notable-events.js';
export type { RecordedDeploy } from './deploy-marker.js';
export type { CurrentScenario } from './scenarios/scenario-runner.js';
export { SCENARIO_NAMES } from './scenarios/scenario.js';
export type { ScenarioName } from './scenarios/scenario.js';
export { SCENARIOS, ALL_SCENARIOS, parseScenarioList } from './scenarios/scenario-registry.js';
export { startProgressReporter, formatProgress } from './progress-reporter.js';
export type { ProgressReporter, ProgressReporterOptions } from './progress-reporter.js';
export { LOADGEN_HELP, parseLoadgenFlags, parseDuration } from './loadgen-flags.js';
export type { LoadgenFlags } from './loadgen-flags.js';
