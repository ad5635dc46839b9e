import type { CollectorConfig } from '../config/collector-config.js';
import type { SingleSignOnSettings } from './single-sign-on.js';

/** The OIDC settings from the configuration, or undefined when single sign-on is off (config validation ensures all three are set together). */
export function singleSignOnSettings(config: CollectorConfig): SingleSignOnSettings | undefined {
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
