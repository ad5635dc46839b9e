import { describe, expect, it } from 'vitest';
import { resourceIdentity, semconvColumns } from '../../src/ingest/semconv-columns.js';

const resource = { 'service.name': 'chat', 'service.version': '1.0.0', 'deployment.environment.name': 'prod', 'user.id': 'u-res' };

describe('semconvColumns', () => {
  it('fills typed columns from record attributes, falling back to the resource', () => {
    const columns = semconvColumns(
      { 'event.name': 'conn.close', 'tv.close.code': '1006', 'tv.close.clean': 'false', 'session.id': 's1', 'tv.connection.duration_ms': '1500.5' },
      resource,
      resourceIdentity(resource),
      undefined,
    );
    expect(columns).toMatchObject({
      EventName: 'conn.close',
      CloseCode: 1006,
      CloseClean: false,
      SessionId: 's1',
      UserId: 'u-res',
      ServiceVersion: '1.0.0',
      Environment: 'prod',
      DurationMs: 1500.5,
      LatencyMs: null,
    });
  });

  it('prefers the LogRecord event_name field over the attribute', () => {
    expect(semconvColumns({ 'event.name': 'attr' }, {}, resourceIdentity({}), 'field').EventName).toBe('field');
  });

  it('leaves a column at its default when the value does not fit its type', () => {
    const columns = semconvColumns(
      { 'tv.close.code': '70000', 'tv.message.latency_ms': '-3', 'tv.message.seq': '1.5', 'tv.reconnect.attempt': 'two' },
      {},
      resourceIdentity({}),
      'conn.close',
    );
    expect(columns).toMatchObject({ CloseCode: 0, LatencyMs: null, MessageSeq: null, Attempt: 0 });
  });

  it('keeps a negative jitter, which is a real value', () => {
    expect(semconvColumns({ 'tv.reconnect.jitter_ms': '-120.5' }, {}, resourceIdentity({}), '').JitterMs).toBe(-120.5);
  });

  it('takes Attempt from the reconnect, message or connection attempt, in that order', () => {
    const id = resourceIdentity({});
    expect(semconvColumns({ 'tv.connection.attempt': '3' }, {}, id, '').Attempt).toBe(3);
    expect(semconvColumns({ 'tv.connection.attempt': '3', 'tv.message.attempt': '2' }, {}, id, '').Attempt).toBe(2);
    expect(semconvColumns({ 'tv.message.attempt': '2', 'tv.reconnect.attempt': '5' }, {}, id, '').Attempt).toBe(5);
  });
});
