import { describe, expect, it } from 'vitest';
import { describeRuleCondition, formatAlertValue, formatThreshold, worstSeverity } from '../../src/alerts/alert-words.js';
import { alertRuleStatus } from '../support/alert-rule-status.js';

const base = alertRuleStatus({ id: 'r', name: 'R' });

describe('describeRuleCondition', () => {
  it('words a threshold rule with its unit, hold, filters and grouping', () => {
    expect(describeRuleCondition({ ...base, signal: 'reconnects', window: '1m', op: '>', value: 5 })).toBe('Reconnects > 5 in the last 1m');
    expect(
      describeRuleCondition({
        ...base,
        signal: 'latency_p99',
        window: '5m',
        op: '>=',
        value: 1500,
        for: '30s',
        filters: { role: 'client', service: 'chat-web' },
        group_by: ['service', 'environment'],
      }),
    ).toBe('p99 delivery latency ≥ 1,500 ms over the last 5m, held for 30s (only service chat-web; per service and environment)');
  });

  it('words an anomaly rule with its guards', () => {
    expect(describeRuleCondition({ ...base, kind: 'anomaly', signal: 'abnormal_closes', window: '1m', min_volume: 20, min_score: 6 })).toBe(
      'Abnormal closes far above the usual for this time of day and week (score ≥ 6, at least 20 in 1m)',
    );
  });

  it('words a burn-rate rule without rounding a 99.9% target up', () => {
    expect(
      describeRuleCondition({
        ...base,
        kind: 'burn_rate',
        objective: 'message_loss',
        target: 0.999,
        windows: [
          { long: '1h', short: '5m', factor: 14.4, severity: 'page' },
          { long: '6h', short: '30m', factor: 6, severity: 'ticket' },
        ],
      }),
    ).toBe('Message loss: 99.9% delivered; error budget burning 14.4× over 1h and 5m (page), or 6× over 6h and 30m (ticket)');
    expect(describeRuleCondition({ ...base, kind: 'burn_rate', objective: 'delivery_latency', target: 0.99, latency_threshold_ms: 1000 })).toBe(
      'Delivery latency: 99% within 1,000 ms',
    );
  });
});

describe('alert values', () => {
  it('formats values with the collector unit', () => {
    expect(formatAlertValue(30, '{reconnects}')).toBe('30 reconnects');
    expect(formatAlertValue(12.5, '{abnormal_closes}/min')).toBe('12.5 abnormal closes/min');
    expect(formatAlertValue(1340, 'ms')).toBe('1,340 ms');
    expect(formatAlertValue(14.4, 'burn rate')).toBe('14.4×');
    expect(formatAlertValue(12, '/min')).toBe('12/min');
    expect(formatAlertValue(null, '{reconnects}')).toBe('—');
  });

  it('shows the comparison of the rule for thresholds, a lower bound otherwise', () => {
    expect(formatThreshold({ threshold: 5, unit: '{reconnects}', kind: 'threshold' }, { ...base, op: '>' })).toBe('> 5 reconnects');
    expect(formatThreshold({ threshold: 14.4, unit: 'burn rate', kind: 'burn_rate' }, undefined)).toBe('≥ 14.4×');
  });

  it('picks the worst severity', () => {
    expect(worstSeverity([{ severity: 'info' }, { severity: 'page' }, { severity: 'ticket' }])).toBe('page');
    expect(worstSeverity([])).toBeNull();
  });
});
