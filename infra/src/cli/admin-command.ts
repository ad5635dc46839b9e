import { parseArgs } from 'node:util';
import { ConfigError, loadCollectorConfig, withOfflineAccess, type AccessControl } from '@tunnelvision/collector';

const OPTIONS = {
  username: { type: 'string' },
  role: { type: 'string' },
  tenant: { type: 'string' },
  name: { type: 'string' },
  scopes: { type: 'string' },
  kind: { type: 'string' },
  origins: { type: 'string' },
  service: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const ADMIN_HELP = `Usage: tunnelvision admin <command> [options]

Manages sign-in and keys directly in the store, for the first admin and for
scripts (docs/security.md). It opens the store the collector would open
(DATA_DIR, CLICKHOUSE_URL, CLICKHOUSE_DATABASE): with the embedded store,
stop the collector first.

Commands:
  create-user --username <name> [--role viewer|admin] [--tenant <id>]
                 creates a dashboard user; the password is read from stdin:
                 read -rs PW; printf '%s' "$PW" | tunnelvision admin create-user --username ana --role admin
  create-key  --name <name> --scopes ingest,read,admin [--kind server|browser]
              [--origins https://app.example,...] [--service <name>] [--tenant <id>]
                 creates an API key and prints it, the only time it is shown
  list-keys   [--tenant <id>]        the keys, without their secrets
  revoke-key  <key id> [--tenant <id>]
`;

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };
const list = (value: string | undefined) => (value ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function tenantOrDefault(access: AccessControl, tenant: string | undefined): Promise<string> {
  const id = tenant ?? 'default';
  if (!(await access.tenants.exists(id))) throw new Error(`no tenant ${id}; create it first (POST /api/v1/admin/tenants)`);
  return id;
}

/** `tunnelvision admin ...`; returns the process exit code. */
export async function adminCommand(argv: string[], env: NodeJS.ProcessEnv, out: (line: string) => void, password: () => Promise<string> = readStdin): Promise<number> {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true });
  } catch (err) {
    out(`tunnelvision admin: ${(err as Error).message}\n\n${ADMIN_HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    out(ADMIN_HELP);
    return values.help ? 0 : 2;
  }
  let config;
  try {
    config = loadCollectorConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      out(err.message);
      return 2;
    }
    throw err;
  }
  try {
    switch (command) {
      case 'create-user': {
        if (!values.username) throw new Error('--username is required');
        if (process.stdin.isTTY && password === readStdin) throw new Error('pipe the password on stdin (see --help), so it never shows on screen or in your shell history');
        const secret = await password();
        const user = await withOfflineAccess(config, async (access) =>
          access.users.create({ username: values.username, password: secret, role: values.role ?? 'viewer' }, await tenantOrDefault(access, values.tenant), 'tunnelvision admin'),
        );
        out(`Created ${user.role} "${user.username}" in tenant ${user.tenant}.`);
        return 0;
      }
      case 'create-key': {
        const { key, secret } = await withOfflineAccess(config, async (access) =>
          access.keys.create(
            {
              name: values.name,
              kind: values.kind ?? 'server',
              scopes: list(values.scopes),
              origins: list(values.origins),
              ...(values.service ? { service: values.service } : {}),
            },
            await tenantOrDefault(access, values.tenant),
            'tunnelvision admin',
          ),
        );
        out(`Created ${key.kind} key ${key.id} "${key.name}" (${key.scopes.join(', ')}) in tenant ${key.tenant}. It is shown this once:\n${secret}`);
        return 0;
      }
      case 'list-keys': {
        const keys = await withOfflineAccess(config, async (access) => access.keys.list(await tenantOrDefault(access, values.tenant)));
        if (keys.length === 0) out('No keys.');
        for (const k of keys) out(`${k.id}  ${k.kind.padEnd(7)} ${k.scopes.join(',').padEnd(18)} ${k.revoked_at ? `revoked ${k.revoked_at}` : 'active'}  ${k.last_used_at ? `last used ${k.last_used_at}` : 'never used'}  ${k.name}`);
        return 0;
      }
      case 'revoke-key': {
        const [id] = rest;
        if (!id) throw new Error('name the key id to revoke: tunnelvision admin revoke-key <id>');
        const key = await withOfflineAccess(config, async (access) => access.keys.revoke(id, await tenantOrDefault(access, values.tenant)));
        out(`Revoked key ${key.id} "${key.name}".`);
        return 0;
      }
      default:
        out(`tunnelvision admin: unknown command "${command}"\n\n${ADMIN_HELP}`);
        return 2;
    }
  } catch (err) {
    out(`tunnelvision admin ${command}: ${(err as Error).message}`);
    return 1;
  }
}
