import { Counter, type Registry } from 'prom-client';

/** Requests to every route of the collector's port, OTLP, query API, probes and /metrics alike. */
export class HttpMetrics {
  private readonly requests: Counter<'method' | 'route' | 'status_class'>;

  constructor(registry: Registry) {
    this.requests = new Counter({
      name: 'tunnelvision_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status class (2xx, 4xx, 5xx).',
      labelNames: ['method', 'route', 'status_class'],
      registers: [registry],
    });
  }

  /**
   * Counts one answered request. `route` is the matched route's pattern
   * (`/api/v1/deploys/:id/impact`), never the raw URL, so ids and query
   * strings cannot multiply the series; unmatched paths count as `unmatched`.
   */
  answered(method: string, route: string | undefined, statusCode: number): void {
    this.requests.inc({ method, route: route ?? 'unmatched', status_class: `${Math.floor(statusCode / 100)}xx` });
  }
}
