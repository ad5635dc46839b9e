// Public surface of @tunnelvision/infra: the load generator and demo that
// drive a running collector through the SDK (the CLI and `npm start` use
// them), and the CLI's deploy command as a function (argv, environment and
// an output sink in, exit code out) for running it in-process.
export {
  startLoadGenerator,
  startLoadGeneratorCluster,
  LOAD_GENERATOR_DEFAULTS,
  LoadGeneratorOptionError,
  resolveLoadGeneratorOptions,
  SCENARIO_NAMES,
  SCENARIOS,
  ALL_SCENARIOS,
  parseScenarioList,
  startProgressReporter,
  formatProgress,
  LOADGEN_HELP,
  parseLoadgenFlags,
  parseDuration,
} from './loadgen/index.js';
export type {
  LoadGenerator,
  LoadGeneratorOptions,
  ResolvedLoadGeneratorOptions,
  LoadGeneratorStats,
  FleetRole,
  FleetStats,
  GatewayStats,
  LoadgenTransport,
  TransportName,
  MessageCounters,
  DroppedMessage,
  RecordedDeploy,
  CurrentScenario,
  ScenarioName,
  ProgressReporter,
  ProgressReporterOptions,
  LoadgenFlags,
} from './loadgen/index.js';
export { deployCommand, DEPLOY_HELP } from './cli/deploy-command.js';
