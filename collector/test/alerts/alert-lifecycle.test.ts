import { describe, expect, it } from 'vitest';
import { pendingMaturesAt, stepLifecycle, type LifecycleState } from '../../src/alerts/lifecycle/alert-lifecycle.js';

const timings = { forMillis: 20_000, keepFiringForMillis: 60_000 };

/** Runs the lifecycle over (time, holds) samples and returns the transitions in order. */
function run(samples: [number, boolean][], t = timings): string[] {
  let state: LifecycleState | null = null;
  const seen: string[] = [];
  for (const [now, holds] of samples) {
    const step = stepLifecycle(state, holds, now, t);
    if (step.transition) seen.push(`${now}:${step.transition.from}->${step.transition.to}`);
    state = step.next;
  }
  return seen;
}

describe('alert lifecycle', () => {
  it('goes pending, fires once the condition has held for `for`, and resolves after keep_firing_for', () => {
    expect(run([[0, true], [10_000, true], [20_000, true], [30_000, false], [70_000, false], [80_000, false]])).toEqual([
      '0:inactive->pending',
      '20000:pending->firing',
      '80000:firing->resolved',
    ]);
  });

  it('a pending alert that clears never fires', () => {
    expect(run([[0, true], [10_000, false], [20_000, false]])).toEqual(['0:inactive->pending', '10000:pending->resolved']);
  });

  it('fires at once when `for` is 0', () => {
    expect(run([[5, true]], { forMillis: 0, keepFiringForMillis: 0 })).toEqual(['5:inactive->firing']);
  });

  it('a flapping signal stays one firing alert while it comes back within keep_firing_for', () => {
    const flapping: [number, boolean][] = [];
    for (let i = 0; i < 30; i++) flapping.push([i * 10_000, i < 3 || i % 2 === 0]);
    const transitions = run(flapping, { forMillis: 10_000, keepFiringForMillis: 30_000 });
    expect(transitions).toEqual(['0:inactive->pending', '10000:pending->firing']);
  });

  it('without keep_firing_for the same signal resolves and fires again and again', () => {
    const flapping: [number, boolean][] = [];
    for (let i = 0; i < 10; i++) flapping.push([i * 10_000, i % 2 === 0]);
    expect(run(flapping, { forMillis: 0, keepFiringForMillis: 0 }).length).toBe(10);
  });

  it('says when a pending alert matures, so the evaluator can look again then', () => {
    const pending = stepLifecycle(null, true, 1_000, timings).next!;
    expect(pendingMaturesAt(pending, timings)).toBe(21_000);
    const firing = stepLifecycle(pending, true, 21_000, timings).next!;
    expect(pendingMaturesAt(firing, timings)).toBeNull();
  });
});
