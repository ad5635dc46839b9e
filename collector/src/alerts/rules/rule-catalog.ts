import type { ClickHouseClient } from '@clickhouse/client';
import type { AlertRule } from '../../api-types.js';
import { NotFoundError, QueryParamError } from '../../errors.js';
import { BUILTIN_RULES } from './builtin-rules.js';
import { alertRuleInput, toAlertRule } from './alert-rule-schema.js';
import { describeRuleProblems, layerRules, resolveRules, type RuleInput } from './rule-layers.js';

/** The built-in rules as the base layer (checked by the tests to parse). */
export function builtinRuleInputs(): Map<string, RuleInput> {
  return new Map(BUILTIN_RULES.map((r) => [String(r.id), r as RuleInput]));
}

/**
 * Every rule the evaluator runs, in three layers: built-in, then
 * ALERT_RULES_FILE, then the API (stored in ClickHouse so every replica
 * sees the same rules). A higher layer changes a lower one's rule by id;
 * deleting an API rule brings back the file's or built-in version.
 */
export class RuleCatalog {
  private readonly base: Map<string, RuleInput>;
  private readonly fileIds: Set<string>;

  constructor(
    private readonly client: ClickHouseClient,
    private readonly database: string,
    fileRules: readonly RuleInput[],
  ) {
    this.base = layerRules(builtinRuleInputs(), fileRules).inputs;
    this.fileIds = new Set(fileRules.map((r) => r.id));
  }

  /** All rules now, API changes included. */
  async rules(): Promise<AlertRule[]> {
    const api = await this.apiRules();
    // A stored rule that no longer parses (e.g. after a schema change) is skipped, not fatal.
    const { inputs } = layerRules(this.base, api);
    const apiIds = new Set(api.map((r) => r.id));
    return resolveRules(inputs, (id) => (apiIds.has(id) ? 'api' : this.sourceBelowApi(id)));
  }

  private sourceBelowApi(id: string): AlertRule['source'] {
    return this.fileIds.has(id) ? 'file' : 'builtin';
  }

  /** Creates or changes a rule through the API; throws QueryParamError naming each bad field. */
  async put(id: string, body: unknown, now = Date.now()): Promise<AlertRule> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new QueryParamError(['body: must be a JSON object (a rule)']);
    if ('id' in body && body.id !== id) throw new QueryParamError([`id: the body says "${String(body.id)}" but the path says "${id}"`]);
    const input = { ...(body as Record<string, unknown>), id };
    const lower = await this.apiRules();
    const layers = layerRules(layerRules(this.base, lower).inputs, [input]);
    if (layers.problems.length > 0) throw new QueryParamError(describeRuleProblems(layers.problems));
    // What is stored is the full merged rule, so a later change to the file does not alter it underneath.
    const merged = layers.inputs.get(id)!;
    await this.client.insert({
      table: `${this.database}.alert_rules`,
      format: 'JSONEachRow',
      values: [{ Id: id, Definition: JSON.stringify(merged), Deleted: 0, UpdatedAt: String(now) }],
    });
    return toAlertRule(alertRuleInput.parse(merged), 'api');
  }

  /** Removes an API rule (or API change); NotFoundError when the API has none with this id. */
  async remove(id: string, now = Date.now()): Promise<{ restored: AlertRule | null }> {
    const api = await this.apiRules();
    if (!api.some((r) => r.id === id)) {
      const hint = this.base.has(id) ? ' (it comes from the built-in rules or ALERT_RULES_FILE: set "enabled": false to switch it off)' : '';
      throw new NotFoundError(`No rule "${id}" was added through the API${hint}`);
    }
    await this.client.insert({
      table: `${this.database}.alert_rules`,
      format: 'JSONEachRow',
      values: [{ Id: id, Definition: '', Deleted: 1, UpdatedAt: String(now) }],
    });
    // What the API rule covered comes back: the file's or the built-in version, if any.
    const lower = this.base.get(id);
    return { restored: lower ? toAlertRule(alertRuleInput.parse(lower), this.sourceBelowApi(id)) : null };
  }

  private async apiRules(): Promise<RuleInput[]> {
    const result = await this.client.query({
      query: `SELECT Id AS id, argMax(Definition, UpdatedAt) AS definition, argMax(Deleted, UpdatedAt) AS deleted
              FROM ${this.database}.alert_rules GROUP BY Id ORDER BY Id`,
      format: 'JSONEachRow',
    });
    const rows = await result.json<{ id: string; definition: string; deleted: number }>();
    return rows.filter((r) => Number(r.deleted) === 0).map((r) => ({ ...(JSON.parse(r.definition) as Record<string, unknown>), id: r.id }));
  }
}
