import type { Attributes, MeterProvider } from '@opentelemetry/api';
import { ATTR_CLOSE_CODE, ATTR_MESSAGE_DROP_REASON, ATTR_STATE } from '@tunnelvision/semconv';
import type { ConnectionState, DropReason } from '@tunnelvision/semconv';
import type { FailureReporter } from './failure-reporter.js';
import { setBounded } from '../shared/bounded-map.js';
import { METRIC_QUEUE_DEPTH } from '@tunnelvision/semconv';
import { createInstrumentSet, type InstrumentSet } from './instrument-set.js';
import { attributesWith, type MetricIdentity } from './metric-identity.js';

/** The running total of one up-down counter series. */
interface CountSeries {
  attributes: Attributes;
  count: number;
}

/** The InstrumentSet keys of instruments. */
type RecordedInstrument = Exclude<keyof InstrumentSet, 'meter'>;

/** The up-down counters whose totals a new provider is told (InstrumentSet keys). */
type CountedInstrument = 'active' | 'state';

/** Connections whose depth one series remembers; beyond it the oldest is forgotten (an app that never disposes handles). */
const MAX_DEPTH_OWNERS = 10_000;

interface DepthSeries {
  attributes: Attributes;
  /** Latest depth per connection, summed into the series' value. */
  byOwner: Map<object, number>;
}

/**
 * Records the tracker's metrics. Two kinds of bookkeeping make them right:
 * - There is no proxy MeterProvider, so a tracker on its environment's
 *   provider looks it up on every use and rebuilds its instruments when the
 *   app registers a real one later; open connections, connections per
 *   state and queue depths are then re-reported so the cumulative totals
 *   stay right.
 * - tv.queue.depth is one series per attribute set, so it reports the sum
 *   over that set's connections rather than whichever reported last.
 * Every method swallows failures (a broken provider never reaches the app).
 */
export class TrackerInstruments {
  /** The provider `set` was built from. */
  #builtFrom: MeterProvider | undefined;
  #set: InstrumentSet | undefined;
  /** Up-down counter totals by series key (tv.connection.state's key includes the state). */
  readonly #totals: Record<CountedInstrument, Map<string, CountSeries>> = { active: new Map(), state: new Map() };
  readonly #depths = new Map<string, DepthSeries>();

  /** The tracker's own provider, or its environment's current one (undefined: none yet). */
  readonly #providerNow: () => MeterProvider | undefined;
  readonly #report: FailureReporter;

  constructor(providerNow: () => MeterProvider | undefined, report: FailureReporter) {
    this.#providerNow = providerNow;
    this.#report = report;
  }

  /** A connection opened: tv.connection.active +1. */
  connectionOpened(identity: MetricIdentity): void {
    this.#count('active', identity.key, identity.attributes, 1);
  }

  /** An open connection closed or was disposed: tv.connection.active -1. */
  connectionClosed(identity: MetricIdentity): void {
    this.#count('active', identity.key, identity.attributes, -1);
  }

  /** A connection entered (+1) or left (-1) client state `state`: tv.connection.state. */
  connectionState(identity: MetricIdentity, state: ConnectionState, delta: 1 | -1): void {
    this.#count('state', `${identity.key}\u0000${state}`, attributesWith(identity, ATTR_STATE, state), delta);
  }

  /** A reconnect ended an outage of `downtimeMillis` that started with close `closeCode`. */
  reconnected(identity: MetricIdentity, closeCode: number, downtimeMillis: number): void {
    const attributes = attributesWith(identity, ATTR_CLOSE_CODE, closeCode);
    this.#record('reconnects', 1, attributes);
    this.#record('reconnectDuration', downtimeMillis, attributes);
  }

  /** A message was acked `latencyMillis` after its first send. */
  deliveryLatency(identity: MetricIdentity, latencyMillis: number): void {
    this.#record('deliveryLatency', latencyMillis, identity.attributes);
  }

  /** A heartbeat round trip took `rttMillis`. */
  heartbeatRtt(identity: MetricIdentity, rttMillis: number): void {
    this.#record('heartbeatRtt', rttMillis, identity.attributes);
  }

  /** A message was dropped without delivery. */
  messageLost(identity: MetricIdentity, reason: DropReason): void {
    this.#record('lost', 1, attributesWith(identity, ATTR_MESSAGE_DROP_REASON, reason));
  }

  /** `owner`'s queue holds `depth` messages; undefined forgets the owner (disposed). */
  queueDepth(owner: object, identity: MetricIdentity, depth: number | undefined): void {
    let series = this.#depths.get(identity.key);
    if (!series) {
      if (depth === undefined) return;
      series = { attributes: identity.attributes, byOwner: new Map() };
      this.#depths.set(identity.key, series);
    }
    if (depth === undefined) {
      series.byOwner.delete(owner);
    } else {
      setBounded(series.byOwner, owner, depth, MAX_DEPTH_OWNERS);
    }
    if (series.byOwner.size === 0) this.#depths.delete(identity.key);
    this.#record('queueDepth', sum(series.byOwner), series.attributes);
  }

  #count(instrument: CountedInstrument, key: string, attributes: Attributes, delta: 1 | -1): void {
    // Record first: resolving a new provider replays the totals, which must not include this change yet.
    this.#record(instrument, delta, attributes);
    const totals = this.#totals[instrument];
    const series = totals.get(key) ?? { attributes, count: 0 };
    series.count += delta;
    if (series.count === 0) totals.delete(key);
    else totals.set(key, series);
  }

  /**
   * Adds `value` to instrument `key` (records it, for a histogram or
   * gauge), reporting a failure under that name. Takes the key rather than
   * a function: this runs for every ack.
   */
  #record(key: RecordedInstrument, value: number, attributes: Attributes): void {
    try {
      const instrument = this.#current()?.[key];
      if (!instrument) return;
      if ('add' in instrument) instrument.add(value, attributes);
      else instrument.record(value, attributes);
    } catch (error) {
      this.#report(`recording ${key}`, error);
    }
  }

  #current(): InstrumentSet | undefined {
    const provider = this.#providerNow();
    if (provider === this.#builtFrom) return this.#set;
    this.#builtFrom = provider;
    this.#set = undefined;
    if (!provider) return undefined;
    try {
      const set = createInstrumentSet(provider);
      if (!set.queueDepth) this.#observeQueueDepth(set);
      // A new provider starts from zero: carry over what is open, in each state and queued now.
      for (const instrument of ['active', 'state'] as const) {
        for (const series of this.#totals[instrument].values()) set[instrument].add(series.count, series.attributes);
      }
      for (const series of this.#depths.values()) set.queueDepth?.record(sum(series.byOwner), series.attributes);
      this.#set = set;
    } catch (error) {
      this.#report('creating instruments', error);
    }
    return this.#set;
  }

  #observeQueueDepth(set: InstrumentSet): void {
    const gauge = set.meter.createObservableGauge(METRIC_QUEUE_DEPTH.name, {
      unit: METRIC_QUEUE_DEPTH.unit,
      description: METRIC_QUEUE_DEPTH.description,
    });
    gauge.addCallback((result) => {
      for (const series of this.#depths.values()) result.observe(sum(series.byOwner), series.attributes);
    });
  }
}

function sum(values: Map<object, number>): number {
  let total = 0;
  for (const value of values.values()) total += value;
  return total;
}
