import { z } from 'zod';
import { filterParams } from '../query/filters.js';
import { instant } from '../query/query-params.js';
import { cohortParam } from './cohort.js';
import { isLatencyThreshold, LATENCY_THRESHOLD_CHOICES } from './measures.js';

/** `latency_threshold_ms`: one of the thresholds the rollups count acks within. */
export const latencyThresholdParam = z.coerce
  .number({ message: 'must be a number of milliseconds' })
  .refine(isLatencyThreshold, { message: `${LATENCY_THRESHOLD_CHOICES} (the latency objectives the rollups count)` })
  .optional();

/** Longest window a reliability query covers (the rollups keep 400 days by default). */
export const MAX_RELIABILITY_DAYS = 400;

export const reliabilityParamsSchema = z.object({
  from: instant.optional(),
  to: instant.optional(),
  cohort: cohortParam,
  latency_threshold_ms: latencyThresholdParam,
  ...filterParams,
});

export const compareParamsSchema = z.object({
  from: instant.optional(),
  to: instant.optional(),
  a: cohortParam.refine((c) => c.length > 0, 'name cohort A, e.g. a=feature_flag.resilience:on'),
  b: cohortParam.refine((c) => c.length > 0, 'name cohort B, e.g. b=feature_flag.resilience:off'),
  latency_threshold_ms: latencyThresholdParam,
  ...filterParams,
});
