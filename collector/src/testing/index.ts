// '@tunnelvision/collector/testing': a real collector for other packages' tests.
export { chooseTestStore, dropTestDatabase, freshDataDir, startTestCollector } from './test-collector.js';
export type { TestStoreChoice } from './test-collector.js';
export { startCollectorProcess } from './collector-process.js';
export type { CollectorProcess } from './collector-process.js';
