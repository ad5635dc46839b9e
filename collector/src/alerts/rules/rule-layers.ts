import type { AlertRule } from '../../api-types.js';
import { alertRuleInput, toAlertRule } from './alert-rule-schema.js';

/** A rule as written in one layer: a whole rule, or (for an id a lower layer has) only the fields to change. */
export type RuleInput = Record<string, unknown> & { id: string };

/** Why a rule could not be read; `path` is the field ("window", "windows.0.short"). */
export interface RuleProblem {
  id: string;
  path: string;
  message: string;
}

/**
 * Applies `overrides` on top of `base` (by id) and parses the result. An
 * override of an existing id changes only the fields it names, so
 * `{ id: 'reconnect-storm', min_volume: 100 }` keeps the rest of the
 * built-in rule; a new id must be a whole rule.
 */
export function layerRules(
  base: ReadonlyMap<string, RuleInput>,
  overrides: readonly RuleInput[],
): { inputs: Map<string, RuleInput>; problems: RuleProblem[] } {
  const inputs = new Map(base);
  const problems: RuleProblem[] = [];
  for (const override of overrides) {
    const lower = inputs.get(override.id);
    const merged = lower ? { ...lower, ...override } : override;
    const parsed = alertRuleInput.safeParse(merged);
    if (parsed.success) inputs.set(override.id, merged);
    else problems.push(...parsed.error.issues.map((i) => ({ id: override.id, path: i.path.join('.'), message: i.message })));
  }
  return { inputs, problems };
}

/** Parses layered inputs (already checked by layerRules) into API rules, tagging each with the layer it last came from. */
export function resolveRules(inputs: ReadonlyMap<string, RuleInput>, sourceOf: (id: string) => AlertRule['source']): AlertRule[] {
  return [...inputs.values()].map((input) => toAlertRule(alertRuleInput.parse(input), sourceOf(input.id)));
}

/** "rule "x": window: must be..." lines for error messages. */
export function describeRuleProblems(problems: readonly RuleProblem[]): string[] {
  return problems.map((p) => `rule "${p.id}": ${p.path ? `${p.path}: ` : ''}${p.message}`);
}
