import type { Meter, MetricAttributes, MetricOptions, ObservableGauge } from '@opentelemetry/api';
import { createMetricStorage, type InstrumentKind, type MetricStorage } from './metric-storage.js';

/**
 * A Meter with the four synchronous instruments the tracker uses (Counter,
 * UpDownCounter, Histogram, Gauge), each aggregated in memory. Observable
 * instruments and batch callbacks do nothing: the tracker never uses them
 * here (it records queue depth with a Gauge), and leaving them out keeps
 * the browser bundle small.
 */
export function createBrowserMeter(storages: MetricStorage[], isEnabled: () => boolean, onRecord: () => void, warn: (message: string) => void): Meter {
  const unobserved = (): ObservableGauge => ({ addCallback: () => undefined, removeCallback: () => undefined });
  const byName = new Map<string, MetricStorage>();

  /** The instrument's storage; the same name and kind share one, a clash of kinds gets none. */
  const storage = (kind: InstrumentKind, name: string, options: MetricOptions | undefined): MetricStorage | undefined => {
    const existing = byName.get(name);
    if (existing) {
      if (existing.kind === kind) return existing;
      warn(`TunnelVision: metric ${name} is already a ${existing.kind}; this ${kind} records nothing`);
      return undefined;
    }
    const created = createMetricStorage(kind, name, options);
    byName.set(name, created);
    storages.push(created);
    return created;
  };
  const recorder = (kind: InstrumentKind, name: string, options: MetricOptions | undefined) => {
    const target = storage(kind, name, options);
    return (value: number, attributes?: MetricAttributes) => {
      if (!target || !isEnabled()) return;
      try {
        target.record(value, attributes);
        onRecord();
      } catch {
        // A hostile attributes object (a throwing getter) must not break the app.
      }
    };
  };

  return {
    createCounter: (name, options) => ({ add: recorder('counter', name, options) }),
    createUpDownCounter: (name, options) => ({ add: recorder('updowncounter', name, options) }),
    createHistogram: (name, options) => ({ record: recorder('histogram', name, options) }),
    createGauge: (name, options) => ({ record: recorder('gauge', name, options) }),
    createObservableGauge: unobserved,
    createObservableCounter: unobserved,
    createObservableUpDownCounter: unobserved,
    addBatchObservableCallback: () => undefined,
    removeBatchObservableCallback: () => undefined,
  };
}
