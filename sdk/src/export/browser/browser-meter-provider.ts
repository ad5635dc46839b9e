import type { Meter, MeterOptions, MeterProvider } from '@opentelemetry/api';
import { createBrowserMeter } from './browser-meter.js';
import { jsonGroup, type JsonGroup, type JsonItem } from './json-packer.js';
import type { MetricStorage } from './metric-storage.js';
import { millisToNanos } from './otlp-json.js';

/** A MeterProvider whose meters aggregate in memory until collected. */
export interface BrowserMeterProvider extends MeterProvider {
  /** Every series of every instrument now, as items for the packer (cumulative values). */
  collect(): JsonItem[];
  /** Measurements taken so far; tells whether anything changed since a snapshot. */
  readonly measurements: number;
  /** Stops recording: later measurements are ignored. */
  shutdown(): void;
}

/**
 * Creates the provider. `envelope` is the request envelope with the
 * resource (`{ resourceMetrics: [{ resource, scopeMetrics: [] }] }`); meters
 * are cached by name, version and schema URL. `warn` hears of an instrument
 * whose name another kind took.
 */
export function createBrowserMeterProvider(envelope: JsonGroup, warn: (message: string) => void): BrowserMeterProvider {
  const meters = new Map<string, Meter>();
  const scopes: { group: JsonGroup; storages: MetricStorage[] }[] = [];
  let enabled = true;
  let measurements = 0;
  const isEnabled = () => enabled;
  const onRecord = () => {
    measurements++;
  };
  return {
    get measurements() {
      return measurements;
    },
    getMeter(name: string, version?: string, options?: MeterOptions): Meter {
      const key = JSON.stringify([name, version, options?.schemaUrl]);
      let meter = meters.get(key);
      if (!meter) {
        const scope = { group: jsonGroup({ scope: { name, version }, schemaUrl: options?.schemaUrl, metrics: [] }), storages: [] };
        scopes.push(scope);
        meter = createBrowserMeter(scope.storages, isEnabled, onRecord, warn);
        meters.set(key, meter);
      }
      return meter;
    },
    collect() {
      const time = millisToNanos(Date.now());
      const items: JsonItem[] = [];
      for (const scope of scopes) {
        for (const storage of scope.storages) {
          const groups = [envelope, scope.group, storage.group];
          for (const json of storage.collect(time)) items.push({ groups, json });
        }
      }
      return items;
    },
    shutdown() {
      enabled = false;
    },
  };
}
