import { ConfigError } from '../errors.js';
import type { AccessControl } from './access-control.js';
import { DEFAULT_TENANT } from './tenant-id.js';

export interface StartupAccessSettings {
  nodeEnv: string;
  host: string;
  adminUser: string;
  adminPassword: string | undefined;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/**
 * Makes sure there is a way in before the collector serves anyone: creates
 * the first admin from TUNNELVISION_ADMIN_PASSWORD into an empty directory,
 * and, when sign-in is required, refuses to start (ConfigError naming what to
 * set) with no user and no key to sign in with. Returns lines for the log.
 */
export async function prepareStartupAccess(access: AccessControl, settings: StartupAccessSettings): Promise<string[]> {
  const notes: string[] = [];
  if (settings.adminPassword !== undefined) {
    if (await access.users.any()) {
      notes.push('TUNNELVISION_ADMIN_PASSWORD ignored: users exist already (manage them under Admin -> Users)');
    } else {
      await access.users.create({ username: settings.adminUser, password: settings.adminPassword, role: 'admin' }, DEFAULT_TENANT, 'TUNNELVISION_ADMIN_PASSWORD');
      notes.push(`created the first admin, "${settings.adminUser}", from TUNNELVISION_ADMIN_PASSWORD; you may unset it now`);
    }
  }
  if (access.mode === 'required') {
    if (!(await access.users.any()) && !(await access.keys.anyActive())) {
      throw new ConfigError([
        `sign-in is required (${settings.nodeEnv === 'production' ? 'NODE_ENV=production' : 'COLLECTOR_AUTH=required'}) but nobody can sign in: ` +
          'set TUNNELVISION_ADMIN_PASSWORD (12+ characters; TUNNELVISION_ADMIN_USER names the user, default admin) to create the first admin on this start, ' +
          'or create one beforehand with `tunnelvision admin create-user --username <name> --role admin`',
      ]);
    }
  } else {
    const where = LOOPBACK.test(settings.host) ? 'on this machine' : `that reaches ${settings.host}`;
    notes.push(`OPEN: no sign-in; anyone ${where} can read and write (COLLECTOR_AUTH=required turns sign-in on; docs/security.md)`);
  }
  return notes;
}
