import { afterEach, describe, expect, it, vi } from 'vitest';
import { nodeResource } from '../../../src/export/node/node-resource.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('nodeResource', () => {
  it('takes service name, version and environment from the options over the environment', async () => {
    vi.stubEnv('OTEL_SERVICE_NAME', 'from-env');
    vi.stubEnv('OTEL_RESOURCE_ATTRIBUTES', 'service.version=0.0.1,team=rt');
    const resource = nodeResource({ serviceName: 'from-code', serviceVersion: '2.0.0', environment: 'staging' });
    await resource.waitForAsyncAttributes?.();
    expect(resource.attributes).toMatchObject({
      'service.name': 'from-code',
      'service.version': '2.0.0',
      'deployment.environment.name': 'staging',
      team: 'rt',
    });
  });

  it('falls back to OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES, with a distinct service.instance.id per process', async () => {
    vi.stubEnv('OTEL_SERVICE_NAME', 'from-env');
    vi.stubEnv('OTEL_RESOURCE_ATTRIBUTES', 'deployment.environment.name=prod');
    const a = nodeResource({});
    const b = nodeResource({});
    await a.waitForAsyncAttributes?.();
    await b.waitForAsyncAttributes?.();
    expect(a.attributes).toMatchObject({ 'service.name': 'from-env', 'deployment.environment.name': 'prod' });
    expect(a.attributes['service.instance.id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.attributes['service.instance.id']).not.toBe(b.attributes['service.instance.id']);
  });
});
