import type { ClickHouseClient } from '@clickhouse/client';
import type { CollectorConfig } from '../config/collector-config.js';
import { AccessControl } from './access-control.js';
import type { SingleSignOnSettings } from './single-sign-on.js';

/** The access layer the configuration describes, on the store's client: the collector and the `tunnelvision admin` commands build the same one. */
export function accessControlFrom(client: ClickHouseClient, config: CollectorConfig): AccessControl {
  return new AccessControl({
    client,
    database: config.database,
    mode: config.auth,
    legacyIngestKey: config.ingestKey,
    sessionTtlMillis: config.sessionTtlHours * 3_600_000,
    singleSignOn: singleSignOnSettings(config),
  });
}

/** The OIDC settings, or undefined when single sign-on is off (config validation ensures all three are set together). */
function singleSignOnSettings(config: CollectorConfig): SingleSignOnSettings | undefined {
  const { oidcIssuerUrl, oidcClientId, oidcClientSecret } = config;
  if (oidcIssuerUrl === undefined || oidcClientId === undefined || oidcClientSecret === undefined) return undefined;
  return {
    issuerUrl: oidcIssuerUrl,
    clientId: oidcClientId,
    clientSecret: oidcClientSecret,
    redirectUrl: config.oidcRedirectUrl ?? `${config.alertDashboardUrl.replace(/\/+$/, '')}/api/auth/oidc/callback`,
    adminGroups: config.oidcAdminGroups,
    tenant: config.oidcTenant,
  };
}
