import type { AlertRuleStatus } from '../../src/collector-api/types.js';

/**
 * A rule as the collector reports it: an enabled, inactive client-side
 * threshold rule from a file, paging at once, not grouped, never failed.
 * `overrides` sets the id and whatever the test is about.
 */
export function alertRuleStatus(overrides: Partial<AlertRuleStatus> = {}): AlertRuleStatus {
  return {
    id: 'rule',
    name: 'Rule',
    kind: 'threshold',
    source: 'file',
    enabled: true,
    severity: 'page',
    description: '',
    runbook: '',
    group_by: [],
    filters: { role: 'client' },
    for: '0s',
    keep_firing_for: '0s',
    renotify_every: '0s',
    state: 'inactive',
    pending: 0,
    firing: 0,
    last_error: null,
    ...overrides,
  };
}
