import type { AlertState } from '../../api-types.js';

/** Timings of one rule that the lifecycle needs, in ms. */
export interface LifecycleTimings {
  forMillis: number;
  keepFiringForMillis: number;
}

/** The lifecycle part of an active alert (pending or firing). */
export interface LifecycleState {
  state: 'pending' | 'firing';
  /** Condition first seen. */
  activeAt: number;
  firedAt: number | null;
  /** Last evaluation at which the condition held. */
  lastHeldAt: number;
}

/** What one evaluation did to an alert. */
export type LifecycleStep =
  /** Still nothing to report. */
  | { next: null; transition: null }
  /** Active before and after; `transition` set when the state changed. */
  | { next: LifecycleState; transition: { from: 'inactive' | 'pending'; to: 'pending' | 'firing' } | null }
  /** Ended: a firing alert resolved, or a pending one cleared before firing. */
  | { next: null; transition: { from: 'pending' | 'firing'; to: Extract<AlertState, 'resolved'> } };

/**
 * One evaluation of one alert: inactive -> pending (condition holds) ->
 * firing (held for `for`) -> resolved (has not held for `keep_firing_for`).
 * A pending alert whose condition clears ends without paging. Pure, so
 * every edge is tested without a store or timers.
 */
export function stepLifecycle(previous: LifecycleState | null, holds: boolean, now: number, timings: LifecycleTimings): LifecycleStep {
  if (!previous) {
    if (!holds) return { next: null, transition: null };
    if (timings.forMillis === 0) return { next: { state: 'firing', activeAt: now, firedAt: now, lastHeldAt: now }, transition: { from: 'inactive', to: 'firing' } };
    return { next: { state: 'pending', activeAt: now, firedAt: null, lastHeldAt: now }, transition: { from: 'inactive', to: 'pending' } };
  }
  if (previous.state === 'pending') {
    if (!holds) return { next: null, transition: { from: 'pending', to: 'resolved' } };
    if (now - previous.activeAt >= timings.forMillis) {
      return { next: { ...previous, state: 'firing', firedAt: now, lastHeldAt: now }, transition: { from: 'pending', to: 'firing' } };
    }
    return { next: { ...previous, lastHeldAt: now }, transition: null };
  }
  if (holds) return { next: { ...previous, lastHeldAt: now }, transition: null };
  // keep_firing_for: a signal that dips and comes back stays one alert, one page.
  if (now - previous.lastHeldAt < timings.keepFiringForMillis) return { next: previous, transition: null };
  return { next: null, transition: { from: 'firing', to: 'resolved' } };
}

/** When a pending alert will have held for `for`: the evaluator looks again then instead of waiting a whole interval. */
export function pendingMaturesAt(state: LifecycleState, timings: LifecycleTimings): number | null {
  return state.state === 'pending' ? state.activeAt + timings.forMillis : null;
}
