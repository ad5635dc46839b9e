import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { isLatencyThreshold, LATENCY_THRESHOLD_CHOICES, type LatencyThreshold } from './measures.js';

/** One service level objective (docs/objectives.md#objectives). */
export interface Objective {
  id: string;
  name: string;
  measure: 'connection_reliability' | 'connect_success_ratio' | 'delivery_success';
  /** Share of good events (or connected time) promised, e.g. 0.999. */
  target: number;
  window: '30d' | '90d';
  /** delivery_success only: acked within this long counts as delivered. */
  latencyThresholdMillis: LatencyThreshold;
}

export const DEFAULT_OBJECTIVES: readonly Objective[] = [
  { id: 'connection-reliability', name: 'Connection reliability', measure: 'connection_reliability', target: 0.999, window: '90d', latencyThresholdMillis: 1_000 },
  { id: 'delivery-success', name: 'Delivery success', measure: 'delivery_success', target: 0.995, window: '30d', latencyThresholdMillis: 1_000 },
];

const entrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be 1-64 lowercase letters, digits or "-"'),
    name: z.string().min(1).max(200).optional(),
    measure: z.enum(['connection_reliability', 'connect_success_ratio', 'delivery_success']),
    target: z.number().gt(0, 'must be above 0').lt(1, 'must be below 1 (0.999 = 99.9 %)'),
    window: z.enum(['30d', '90d']),
    latency_threshold_ms: z
      .number()
      .refine(isLatencyThreshold, LATENCY_THRESHOLD_CHOICES)
      .optional(),
    enabled: z.boolean().default(true),
  })
  .strict();

const fileSchema = z.object({ objectives: z.array(z.unknown()) }).strict();

/**
 * The objectives in force: the defaults, changed by OBJECTIVES_FILE
 * (JSON `{ "objectives": [...] }`): an entry with a default's id replaces
 * it (`"enabled": false` removes it), any other id adds one. Throws
 * ConfigError naming the file, the entry and the field.
 */
export function readObjectivesFile(path: string | undefined): Objective[] {
  if (path === undefined) return [...DEFAULT_OBJECTIVES];
  const where = `OBJECTIVES_FILE=${path}`;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError([`${where}: cannot read it as JSON (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`]);
  }
  const file = fileSchema.safeParse(raw);
  if (!file.success) throw new ConfigError([`${where}: expected { "objectives": [ ... ] }`]);
  const problems: string[] = [];
  const byId = new Map(DEFAULT_OBJECTIVES.map((o) => [o.id, o]));
  file.data.objectives.forEach((entry, i) => {
    const parsed = entrySchema.safeParse(entry);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${where}: objectives[${i}]${issue.path.length > 0 ? `.${issue.path.join('.')}` : ''}: ${issue.message}`);
      return;
    }
    const e = parsed.data;
    if (!e.enabled) {
      byId.delete(e.id);
      return;
    }
    byId.set(e.id, { id: e.id, name: e.name ?? e.id, measure: e.measure, target: e.target, window: e.window, latencyThresholdMillis: e.latency_threshold_ms ?? 1_000 });
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return [...byId.values()];
}
