import { ATTR_SERVICE_NAME } from '@tunnelvision/semconv';
import type { TableRows } from '../store/table-names.js';

/**
 * Stores mapped rows under the service an ingest key is bound to, whatever
 * service.name the app sent: every table has a ServiceName column, which
 * the queries, rollups and alerts read, and the resource attributes a row
 * carries say the same. service.name is a resource attribute, never one of
 * the record attributes kept only in a typed column (attributes-in-columns),
 * so ServiceName alone is what the timeline returns as the service.
 */
export function bindService(batches: readonly TableRows[], service: string): void {
  for (const { rows } of batches) {
    for (const row of rows) {
      row.ServiceName = service;
      // Rows of one resource share its attributes object: set in place, it is rewritten once, not copied per row.
      const resource = row.ResourceAttributes as Record<string, string> | undefined;
      if (resource) resource[ATTR_SERVICE_NAME] = service;
    }
  }
}
