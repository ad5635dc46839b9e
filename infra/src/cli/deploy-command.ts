import { parseArgs } from 'node:util';

/** Options of `tunnelvision deploy`, with the environment variables that back them. */
const OPTIONS = {
  service: { type: 'string' },
  version: { type: 'string' },
  environment: { type: 'string' },
  commit: { type: 'string' },
  description: { type: 'string' },
  time: { type: 'string' },
  url: { type: 'string' },
  key: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const DEPLOY_HELP = `Usage: tunnelvision deploy --service <name> --version <version> [options]

Records a deploy marker (POST /api/v1/deploys) so charts and the deploy
impact report can show what the deploy did.

  --service <name>       service deployed (required)
  --version <version>    version deployed (required)
  --environment <env>    environment (default: production)
  --commit <sha>         commit deployed
  --description <text>   free text, e.g. the CI run
  --time <time>          when it went out, ISO 8601 or epoch ms (default: now)
  --url <url>            collector URL (default: $COLLECTOR_URL or http://127.0.0.1:4318)
  --key <key>            ingest key when the collector requires one (default: $TUNNELVISION_INGEST_KEY)
`;

/** Posts a deploy marker; returns the process exit code. */
export async function deployCommand(argv: string[], env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number> {
  let values: { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };
  try {
    values = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    out(`tunnelvision deploy: ${(err as Error).message}\n\n${DEPLOY_HELP}`);
    return 2;
  }
  if (values.help) {
    out(DEPLOY_HELP);
    return 0;
  }
  const missing = (['service', 'version'] as const).filter((name) => !values[name]);
  if (missing.length > 0) {
    out(`tunnelvision deploy: missing ${missing.map((m) => `--${m}`).join(' and ')}\n\n${DEPLOY_HELP}`);
    return 2;
  }
  const base = (values.url ?? env.COLLECTOR_URL ?? 'http://127.0.0.1:4318').replace(/\/+$/, '');
  const key = values.key ?? env.TUNNELVISION_INGEST_KEY;
  const time = values.time && /^\d+$/.test(values.time) ? Number(values.time) : values.time;
  const body = { service: values.service, version: values.version, environment: values.environment, commit: values.commit, description: values.description, time };
  let response: Response;
  try {
    response = await fetch(`${base}/api/v1/deploys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify(body),
    });
  } catch (err) {
    out(`tunnelvision deploy: cannot reach the collector at ${base}: ${(err as Error).cause ?? (err as Error).message}`);
    return 1;
  }
  const answer = (await response.json().catch(() => ({}))) as { deploy?: { id: string; time: string }; error?: { message: string } };
  if (response.status !== 201 || !answer.deploy) {
    out(`tunnelvision deploy: the collector refused the marker (HTTP ${response.status}): ${answer.error?.message ?? 'no details'}`);
    return 1;
  }
  out(`Deploy marker recorded: ${values.service} ${values.version} at ${answer.deploy.time} (id ${answer.deploy.id})`);
  return 0;
}
