/**
 * Y-axis ticks from 0 up to a round number at or above `max`, about
 * `count` intervals of 1, 2, 2.5 or 5 × 10^n (1, 2 or 5 for whole-number
 * data, so counts never get fractional ticks).
 */
export function niceTicks(max: number, integer: boolean, count = 4): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const multipliers = integer ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
  let step = multipliers.map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  if (integer) step = Math.max(1, Math.round(step));
  const top = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; i * step <= top + step / 1e6; i++) ticks.push(Math.round(i * step * 1e6) / 1e6);
  return ticks;
}
