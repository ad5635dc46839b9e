import { z } from 'zod';

const UNIT_MILLIS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** "0s", "30s", "5m", "1h", "14d", "2w", or a number of seconds, to milliseconds. */
export function parseRuleDuration(raw: string | number): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) && raw >= 0 ? Math.round(raw * 1000) : undefined;
  const match = /^(\d{1,9})(ms|s|m|h|d|w)?$/.exec(raw.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MILLIS[(match[2] ?? 's') as keyof typeof UNIT_MILLIS];
}

/** Milliseconds in the largest unit that divides them: 90_000 -> "90s", 3_600_000 -> "1h". */
export function formatRuleDuration(millis: number): string {
  if (millis === 0) return '0s';
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    if (millis % UNIT_MILLIS[unit] === 0) return `${millis / UNIT_MILLIS[unit]}${unit}`;
  }
  return `${millis}ms`;
}

/** A rule duration between min and max, normalised to its shortest spelling ("60s" -> "1m"). */
export function ruleDuration(minMillis: number, maxMillis: number, multipleOfMillis = 1) {
  return z.union([z.string(), z.number()]).transform((raw, ctx) => {
    const millis = parseRuleDuration(raw);
    if (millis === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${raw}" is not a duration: use a number with s, m, h, d or w (e.g. 5m)` });
      return z.NEVER;
    }
    if (millis < minMillis || millis > maxMillis) {
      ctx.addIssue({ code: 'custom', message: `must be between ${formatRuleDuration(minMillis)} and ${formatRuleDuration(maxMillis)}, got ${formatRuleDuration(millis)}` });
      return z.NEVER;
    }
    if (millis % multipleOfMillis !== 0) {
      ctx.addIssue({ code: 'custom', message: `must be a whole number of ${formatRuleDuration(multipleOfMillis)}, got ${formatRuleDuration(millis)}` });
      return z.NEVER;
    }
    return formatRuleDuration(millis);
  });
}
