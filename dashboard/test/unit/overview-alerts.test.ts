import { describe, expect, it } from 'vitest';
import type { AlertInstance, AlertRuleStatus } from '../../src/collector-api/types.js';
import { alertPeriodsByChart } from '../../src/overview/overview-alerts.js';
import { alertRuleStatus } from '../support/alert-rule-status.js';

const rule = (id: string, extra: Partial<AlertRuleStatus>): AlertRuleStatus => alertRuleStatus({ id, name: id, group_by: ['service'], ...extra });

const alert = (id: string, ruleId: string, extra: Partial<AlertInstance> = {}): AlertInstance => ({
  id,
  fingerprint: id,
  rule_id: ruleId,
  rule_name: ruleId,
  kind: 'threshold',
  severity: 'page',
  state: 'firing',
  labels: { service: 'chat-web' },
  summary: `${id} fired`,
  value: 10,
  threshold: 5,
  baseline: null,
  unit: '/min',
  active_at: '2026-11-24T10:00:00.000Z',
  fired_at: '2026-11-24T10:00:30.000Z',
  resolved_at: null,
  updated_at: '2026-11-24T10:05:00.000Z',
  silenced_by: [],
  deploy: null,
  dashboard_url: '',
  runbook: '',
  ...extra,
});

describe('alertPeriodsByChart', () => {
  const rules = [rule('reconnects', { signal: 'reconnects' }), rule('latency', { kind: 'burn_rate', objective: 'delivery_latency' })];

  it('puts each alert on the chart of what its rule watches; unknown rules on every chart', () => {
    const byChart = alertPeriodsByChart([alert('a', 'reconnects'), alert('b', 'latency'), alert('c', 'gone')], rules, {});
    expect(byChart.reconnects.map((p) => p.id)).toEqual(['a', 'c']);
    expect(byChart.latency.map((p) => p.id)).toEqual(['b', 'c']);
    expect(byChart['lost-messages'].map((p) => p.id)).toEqual(['c']);
    expect(byChart.reconnects[0]).toMatchObject({ start: Date.parse('2026-11-24T10:00:00.000Z'), firedAt: Date.parse('2026-11-24T10:00:30.000Z'), end: null });
  });

  it('keeps alerts whose labels agree with the filters, and those not grouped by the filtered label', () => {
    const alerts = [alert('a', 'reconnects'), alert('b', 'reconnects', { labels: { service: 'other' } }), alert('c', 'reconnects', { labels: {} })];
    expect(alertPeriodsByChart(alerts, rules, { service: 'chat-web' }).reconnects.map((p) => p.id)).toEqual(['a', 'c']);
    expect(alertPeriodsByChart(alerts, rules, { version: '2.15.0' }).reconnects.map((p) => p.id)).toEqual(['a', 'b', 'c']);
  });

  it('leaves out pending episodes that cleared without firing', () => {
    const alerts = [alert('a', 'reconnects', { state: 'resolved', fired_at: null, resolved_at: '2026-11-24T10:01:00.000Z' }), alert('b', 'reconnects', { state: 'pending', fired_at: null })];
    expect(alertPeriodsByChart(alerts, rules, {}).reconnects.map((p) => p.id)).toEqual(['b']);
  });
});
