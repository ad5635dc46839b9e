import { z } from 'zod';

/**
 * A cohort (docs/objectives.md#cohorts): `<attribute>:<value>`, e.g.
 * `feature_flag.resilience:on` or `service.version:2.4.1`. The attributes
 * are the ones the reliability rollups keep, so a 90-day comparison reads
 * hourly rows rather than every event: the app's version, name and
 * environment, the SDK's version, the server, and any `feature_flag.*`
 * attribute (of the record, else of the resource).
 */
export interface CohortCondition {
  key: string;
  value: string;
}

/** Rollup column of each cohort attribute other than the feature flags. */
const COHORT_COLUMNS: Readonly<Record<string, string>> = {
  'service.name': 'ServiceName',
  'service.version': 'ServiceVersion',
  'deployment.environment.name': 'Environment',
  'deployment.environment': 'Environment',
  'telemetry.sdk.version': 'SdkVersion',
  'server.address': 'ServerAddress',
};

export const COHORT_ATTRIBUTES = [...Object.keys(COHORT_COLUMNS), 'feature_flag.<key>'] as const;

const COHORT = /^([A-Za-z0-9_.\-/]{1,128}):(.{1,256})$/s;

/** One `<attribute>:<value>` string, parsed and checked against the attributes the rollups keep. */
export const cohortCondition = z
  .string()
  .trim()
  .transform((raw, ctx): CohortCondition => {
    const match = COHORT.exec(raw);
    if (!match) {
      ctx.addIssue({ code: 'custom', message: `"${raw}" is not a cohort: use <attribute>:<value>, e.g. feature_flag.resilience:on` });
      return z.NEVER;
    }
    const key = match[1]!;
    if (!(key in COHORT_COLUMNS) && !/^feature_flag\.[\w-]{1,64}$/.test(key)) {
      ctx.addIssue({ code: 'custom', message: `"${key}" cannot split the reliability measures; use one of ${COHORT_ATTRIBUTES.join(', ')}` });
      return z.NEVER;
    }
    return { key, value: match[2]! };
  });

/** The `cohort` query parameter: one condition or several (repeated parameter), all of which must match. */
export const cohortParam = z.preprocess(
  (raw) => (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]),
  z.array(cohortCondition).max(8, 'at most 8 cohort conditions'),
);

/** `key:value`, the way the API and the dashboard write a cohort. */
export const cohortLabel = (cohort: readonly CohortCondition[]) => (cohort.length === 0 ? 'all clients' : cohort.map((c) => `${c.key}=${c.value}`).join(', '));

/** SQL over a reliability rollup for the cohort, as bound parameters named `<prefix><i>`. */
export function cohortSql(cohort: readonly CohortCondition[], prefix = 'c'): { where: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const clauses = cohort.map((c, i) => {
    params[`${prefix}${i}`] = c.value;
    const column = COHORT_COLUMNS[c.key];
    if (column) return `${column} = {${prefix}${i}:String}`;
    params[`${prefix}k${i}`] = c.key;
    return `FeatureFlags[{${prefix}k${i}:String}] = {${prefix}${i}:String}`;
  });
  return { where: clauses.length === 0 ? '1' : clauses.join(' AND '), params };
}
