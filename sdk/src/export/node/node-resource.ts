import { randomUUID } from 'node:crypto';
import type { Attributes } from '@opentelemetry/api';
import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  processDetector,
  resourceFromAttributes,
  type Resource,
} from '@opentelemetry/resources';
import { ATTR_DEPLOYMENT_ENVIRONMENT, ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@tunnelvision/semconv';
import type { NodeTelemetryOptions } from './node-telemetry-options.js';

/** Standard OpenTelemetry key; no TunnelVision constant since the conventions only recommend it. */
const ATTR_SERVICE_INSTANCE_ID = 'service.instance.id';

/**
 * The process's resource, lowest precedence first: the SDK defaults, a
 * random service.instance.id (docs/semconv.md: every process needs a
 * distinct series for tv.connection.active), what the environment says
 * (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, process and host), then
 * the options given in code.
 */
export function nodeResource(options: NodeTelemetryOptions): Resource {
  const fromOptions: Attributes = { ...options.resourceAttributes };
  if (options.serviceName !== undefined) fromOptions[ATTR_SERVICE_NAME] = options.serviceName;
  if (options.serviceVersion !== undefined) fromOptions[ATTR_SERVICE_VERSION] = options.serviceVersion;
  if (options.environment !== undefined) fromOptions[ATTR_DEPLOYMENT_ENVIRONMENT] = options.environment;
  return defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_INSTANCE_ID]: randomUUID() }))
    .merge(detectResources({ detectors: [envDetector, processDetector, hostDetector] }))
    .merge(resourceFromAttributes(fromOptions));
}
