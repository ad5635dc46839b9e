import { z } from 'zod';
import { QueryParamError } from '../errors.js';

/**
 * Query-API parameter schemas. Every value reaches SQL as a bound
 * parameter, never as text in the statement; these schemas only decide
 * what is acceptable and say why when it is not.
 */

/** ISO 8601 or epoch milliseconds, to epoch milliseconds. */
export const instant = z
  .string()
  .trim()
  .transform((raw, ctx) => {
    const ms = /^\d{1,15}$/.test(raw) ? Number(raw) : Date.parse(raw);
    if (Number.isNaN(ms) || ms < 0) {
      ctx.addIssue({ code: 'custom', message: `"${raw}" is not a time: use ISO 8601 (2026-01-31T12:00:00Z) or epoch milliseconds` });
      return z.NEVER;
    }
    return ms;
  });

/** 90s, 5m, 1h, 1d or plain seconds, to seconds. */
export const duration = z
  .string()
  .trim()
  .transform((raw, ctx) => {
    const match = /^(\d{1,7})([smhd]?)$/.exec(raw);
    if (!match) {
      ctx.addIssue({ code: 'custom', message: `"${raw}" is not a duration: use seconds or a number with s, m, h or d (e.g. 5m)` });
      return z.NEVER;
    }
    const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
    return Number(match[1]) * unit;
  });

/** A short identifier-like filter value (service, environment, version, server). */
export const label = z.string().trim().min(1, 'must not be empty').max(256, 'must be at most 256 characters');

/** Parses `input` or throws QueryParamError naming each bad parameter. */
export function parseParams<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw new QueryParamError(
    result.error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message)),
  );
}

/**
 * The range a query covers: `to` defaults to now and `from` to `to` minus
 * `defaultSpanMillis`; from must be before to and the span at most maxDays.
 */
export function resolveRange(
  given: { from?: number | undefined; to?: number | undefined },
  now: number,
  defaultSpanMillis: number,
  maxDays: number,
): { from: number; to: number } {
  const to = given.to ?? now;
  // A `to` near the epoch leaves less than the default span before it; times are unsigned in the store.
  const from = given.from ?? Math.max(0, to - defaultSpanMillis);
  if (from >= to) throw new QueryParamError([`from (${new Date(from).toISOString()}) must be before to (${new Date(to).toISOString()})`]);
  if (to - from > maxDays * 86_400_000) throw new QueryParamError([`the time range may span at most ${maxDays} days`]);
  return { from, to };
}

/** SQL: the rollup minutes from the one holding {from} up to {to} (bound epoch-ms parameters). */
export const WHOLE_MINUTES = `Minute >= toStartOfMinute(toDateTime(intDiv({from:UInt64}, 1000))) AND Minute < toDateTime(intDiv({to:UInt64}, 1000))`;
