import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alertRuleInput } from '../../src/alerts/rules/alert-rule-schema.js';
import { BUILTIN_RULES } from '../../src/alerts/rules/builtin-rules.js';
import { builtinRuleInputs } from '../../src/alerts/rules/rule-catalog.js';
import { layerRules, resolveRules } from '../../src/alerts/rules/rule-layers.js';
import { readRulesFile } from '../../src/alerts/rules/rules-file.js';
import { ConfigError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'tv-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function problemsOf(path: string): string[] {
  try {
    readRulesFile(path, builtinRuleInputs());
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return [...(err as ConfigError).problems];
  }
  throw new Error('expected the file to be refused');
}

describe('built-in rules', () => {
  it('all parse, and cover the storm, latency objective, 1006 surge, message loss and heartbeat timeouts', () => {
    for (const rule of BUILTIN_RULES) expect(alertRuleInput.safeParse(rule).success, String(rule.id)).toBe(true);
    const rules = resolveRules(builtinRuleInputs(), () => 'builtin');
    expect(rules.map((r) => [r.id, r.kind])).toEqual([
      ['reconnect-storm', 'anomaly'],
      ['delivery-latency-slo', 'burn_rate'],
      ['abnormal-close-surge', 'anomaly'],
      ['message-loss-slo', 'burn_rate'],
      ['heartbeat-timeouts', 'anomaly'],
    ]);
    for (const rule of rules) expect(rule.group_by).toEqual(['service', 'environment', 'server']);
    expect(rules.find((r) => r.id === 'delivery-latency-slo')!.windows).toEqual([
      { long: '1h', short: '5m', factor: 14.4, severity: 'page' },
      { long: '6h', short: '30m', factor: 6, severity: 'ticket' },
    ]);
  });
});

describe('ALERT_RULES_FILE', () => {
  it('reads YAML: new rules and partial changes to built-in ones', () => {
    const path = file(
      'rules.yaml',
      `rules:
  - id: gateway-reconnects
    name: Gateway reconnects
    kind: threshold
    signal: reconnects
    window: 5m
    op: ">"
    value: 500
    filters: { service: chat }
  - id: reconnect-storm
    min_volume: 100
  - id: heartbeat-timeouts
    enabled: false
`,
    );
    const rules = readRulesFile(path, builtinRuleInputs());
    const resolved = resolveRules(layerRules(builtinRuleInputs(), rules).inputs, (id) => (id === 'gateway-reconnects' ? 'file' : 'builtin'));
    const byId = new Map(resolved.map((r) => [r.id, r]));
    expect(byId.get('gateway-reconnects')).toMatchObject({ kind: 'threshold', window: '5m', value: 500, for: '0s', filters: { service: 'chat', role: 'client' } });
    expect(byId.get('reconnect-storm')).toMatchObject({ kind: 'anomaly', min_volume: 100, min_score: 5, signal: 'reconnects' });
    expect(byId.get('heartbeat-timeouts')!.enabled).toBe(false);
  });

  it('refuses a bad rule, naming the file, the rule and the field', () => {
    const path = file(
      'bad.json',
      JSON.stringify({
        rules: [
          { id: 'slow', name: 'Slow', kind: 'threshold', signal: 'latency_p99', window: '15s', value: 500 },
          { id: 'typo', name: 'Typo', kind: 'threshold', signal: 'reconects', value: 1 },
          { id: 'slo', name: 'SLO', kind: 'burn_rate', objective: 'delivery_latency', target: 0.99 },
          { id: 'reconnect-storm', min_volume: -1 },
        ],
      }),
    );
    const problems = problemsOf(path);
    expect(problems).toEqual([
      `ALERT_RULES_FILE=${path}: rule "slow": window: must be a whole number of 10s, got 15s`,
      expect.stringMatching(new RegExp(`^ALERT_RULES_FILE=${path}: rule "typo": signal: must be one of: reconnects, `)),
      `ALERT_RULES_FILE=${path}: rule "slo": latency_threshold_ms: is required for objective delivery_latency (e.g. 1000)`,
      expect.stringMatching(/rule "reconnect-storm": min_volume: /),
    ]);
  });

  it('refuses unknown fields, a missing id, duplicates and a file that is not a rule list', () => {
    expect(problemsOf(file('extra.json', JSON.stringify([{ id: 'x', name: 'X', kind: 'threshold', signal: 'closes', value: 1, treshold: 3 }])))[0]).toMatch(
      /rule "x": .*treshold/,
    );
    expect(problemsOf(file('noid.json', JSON.stringify([{ name: 'X' }])))[0]).toMatch(/rules\[0\]: id: is required/);
    expect(problemsOf(file('dup.json', JSON.stringify([{ id: 'reconnect-storm' }, { id: 'reconnect-storm' }])))[0]).toMatch(/appears twice/);
    expect(problemsOf(file('shape.json', '{"alerts": []}'))[0]).toMatch(/expected \{ "rules": \[ \.\.\. \] \} or a list of rules/);
    expect(problemsOf(file('broken.yaml', 'rules: [\n  - id: x\n  bad'))[0]).toMatch(/not valid YAML/);
    expect(problemsOf(join(dir, 'missing.json'))[0]).toMatch(/cannot read it \(ENOENT\)/);
  });
});
