import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../../errors.js';
import { describeRuleProblems, layerRules, type RuleInput } from './rule-layers.js';

const fileShape = z.union([
  z.object({ rules: z.array(z.record(z.string(), z.unknown())) }).strict(),
  z.array(z.record(z.string(), z.unknown())),
]);

/**
 * Reads ALERT_RULES_FILE (JSON, or YAML for .yaml/.yml) and checks every
 * rule against `base` (the built-in rules it may change). Throws
 * ConfigError naming the file, the rule and the field of each problem, so
 * a bad file stops the collector at start instead of silently not paging.
 */
export function readRulesFile(path: string, base: ReadonlyMap<string, RuleInput>): RuleInput[] {
  const where = `ALERT_RULES_FILE=${path}`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([`${where}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`]);
  }
  let document: unknown;
  try {
    document = ['.yaml', '.yml'].includes(extname(path).toLowerCase()) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new ConfigError([`${where}: not valid ${extname(path).toLowerCase() === '.json' ? 'JSON' : 'YAML/JSON'}: ${(err as Error).message}`]);
  }
  const shape = fileShape.safeParse(document);
  if (!shape.success) throw new ConfigError([`${where}: expected { "rules": [ ... ] } or a list of rules`]);
  const entries = Array.isArray(shape.data) ? shape.data : shape.data.rules;

  const problems: string[] = [];
  const rules: RuleInput[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const id = entry.id;
    if (typeof id !== 'string') {
      problems.push(`rules[${index}]: id: is required (a name such as "gateway-reconnects")`);
      return;
    }
    if (seen.has(id)) problems.push(`rules[${index}] "${id}": id: appears twice in the file`);
    seen.add(id);
    rules.push({ ...entry, id });
  });
  const layered = layerRules(base, rules);
  problems.push(...describeRuleProblems(layered.problems));
  if (problems.length > 0) throw new ConfigError(problems.map((p) => `${where}: ${p}`));
  return rules;
}
