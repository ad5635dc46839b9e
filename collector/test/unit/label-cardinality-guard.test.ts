import { describe, expect, it } from 'vitest';
import { LabelCardinalityGuard, OTHER_LABEL_VALUE } from '../../src/ingest/label-cardinality-guard.js';
import type { TableRows } from '../../src/store/table-names.js';

const logs = (service: string, versions: readonly string[]): TableRows[] => [{ table: 'logs', rows: versions.map((v) => ({ ServiceName: service, ServiceVersion: v })) }];
const versionsOf = (batches: TableRows[]) => batches[0]!.rows.map((r) => r.ServiceVersion);

describe('LabelCardinalityGuard', () => {
  it('gives each database a budget of its own', () => {
    const guard = new LabelCardinalityGuard(2, () => 0);
    const main = logs('api', ['1', '2', '3']);
    expect(guard.apply('tunnelvision', main)).toMatchObject({ version: 1 });
    expect(versionsOf(main)).toEqual(['1', '2', OTHER_LABEL_VALUE]);
    // Another tenant's same service starts afresh, however many values the first one used.
    const acme = logs('api', ['4', '5']);
    expect(guard.apply('tunnelvision_t_acme', acme)).toMatchObject({ version: 0 });
    expect(versionsOf(acme)).toEqual(['4', '5']);
  });

  it('bounds service names per database', () => {
    const guard = new LabelCardinalityGuard(1, () => 0);
    const main: TableRows[] = [{ table: 'logs', rows: [{ ServiceName: 'a' }, { ServiceName: 'b' }] }];
    guard.apply('tunnelvision', main);
    expect(main[0]!.rows.map((r) => r.ServiceName)).toEqual(['a', OTHER_LABEL_VALUE]);
    const acme: TableRows[] = [{ table: 'logs', rows: [{ ServiceName: 'b' }] }];
    guard.apply('tunnelvision_t_acme', acme);
    expect(acme[0]!.rows[0]!.ServiceName).toBe('b');
  });
});
