import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COLLECTOR_ENV_NAMES, loadCollectorConfig } from '@tunnelvision/collector';
import { freshDataDir, startTestCollector } from '@tunnelvision/collector/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * No Docker engine runs where the tests run, so the compose files and
 * Dockerfiles are checked against the code instead: every variable a
 * service sets is one its program reads, with a value it accepts; ports,
 * service URLs and health checks agree with the configuration and hit real
 * routes; images are pinned; each Dockerfile builds in stages, runs the
 * build it needs, starts a file that build produces and ends as a
 * non-root user.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COMPOSE_FILES = ['docker-compose.yml', 'docker-compose.cluster.yml'];

// ---- reading the files ----

interface Healthcheck {
  test: string[] | string;
}
interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string | number | null> | string[];
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: Healthcheck;
  command?: string[];
  hostname?: string;
  profiles?: string[];
}
interface ComposeFile {
  name: string;
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

function compose(file: string): ComposeFile {
  return parse(read(file), { merge: true }) as ComposeFile;
}

// Values for the variables the compose files take from .env, as an operator would set them.
const DOTENV: Record<string, string> = {
  CLICKHOUSE_PASSWORD: '0123456789abcdef0123456789abcdef',
  CLICKHOUSE_CLUSTER_SECRET: 'fedcba9876543210fedcba9876543210',
  TUNNELVISION_INGEST_KEY: 'abcdef0123456789abcdef0123456789',
  TUNNELVISION_ADMIN_PASSWORD: 'admin passphrase 0123456789',
};

/** Compose interpolation: ${VAR}, ${VAR:-default}, ${VAR:?error}; `$$` is a literal `$`. */
function interpolate(value: string, env: Record<string, string> = DOTENV): string {
  return value.replace(/\$\$|\$\{(\w+)(?::?([-?])([^}]*))?\}/g, (whole, name: string | undefined, op: string | undefined, arg: string | undefined) => {
    if (whole === '$$') return '$';
    const set = env[name!];
    if (set !== undefined && set !== '') return set;
    if (op === '-') return arg ?? '';
    if (op === '?') throw new Error(`\${${name}} is required: ${arg}`);
    return '';
  });
}

function environment(service: Service): Record<string, string> {
  const raw = service.environment ?? {};
  const entries = Array.isArray(raw) ? raw.map((e) => e.split(/=(.*)/s).slice(0, 2) as [string, string]) : Object.entries(raw);
  return Object.fromEntries(entries.map(([k, v]) => [k, interpolate(String(v ?? ''))]));
}

function dependsOn(service: Service): Record<string, string> {
  const raw = service.depends_on ?? {};
  return Array.isArray(raw) ? Object.fromEntries(raw.map((s) => [s, 'service_started'])) : Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.condition]));
}

/** Container port of each "host:container" (or "ip:host:container") mapping. */
function containerPorts(service: Service): number[] {
  return (service.ports ?? []).map((p) => Number(interpolate(p).split(':').pop()));
}

/** The URL a `node -e "fetch('...')"` health check requests. */
function healthUrl(service: Service): URL {
  const test = Array.isArray(service.healthcheck?.test) ? service.healthcheck.test.join(' ') : String(service.healthcheck?.test);
  const url = /fetch\('([^']+)'\)/.exec(test)?.[1];
  if (!url) throw new Error(`health check without a fetch URL: ${test}`);
  return new URL(url);
}

type Kind = 'clickhouse' | 'keeper' | 'collector' | 'dashboard' | 'cli';

function kindOf(service: Service): Kind {
  if (service.image?.startsWith('clickhouse/clickhouse-server:')) return 'clickhouse';
  if (service.image?.startsWith('clickhouse/clickhouse-keeper:')) return 'keeper';
  const dockerfile = service.build?.dockerfile ?? '';
  if (dockerfile.endsWith('collector.Dockerfile')) return 'collector';
  if (dockerfile.endsWith('dashboard.Dockerfile')) return 'dashboard';
  if (dockerfile.endsWith('cli.Dockerfile')) return 'cli';
  throw new Error(`unknown kind of service: ${JSON.stringify(service)}`);
}

// ---- what the programs read ----

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx)$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** Variable names read as env.NAME / process.env.NAME / env['NAME'] in these folders. */
function envNamesReadIn(dirs: string[]): Set<string> {
  const names = new Set<string>();
  for (const file of dirs.flatMap(sourceFiles)) {
    for (const m of read(file).matchAll(/\benv(?:\.([A-Z][A-Z0-9_]+)|\[['"]([A-Z][A-Z0-9_]+)['"]\])/g)) names.add((m[1] ?? m[2])!);
  }
  return names;
}

/** Variables the dashboard reads: in its code and in its package.json scripts (DASHBOARD_PORT, DASHBOARD_HOST). */
function dashboardEnvNames(): Set<string> {
  const names = envNamesReadIn(['dashboard/src']);
  const scripts = Object.values((JSON.parse(read('dashboard/package.json')) as { scripts: Record<string, string> }).scripts).join('\n');
  for (const m of scripts.matchAll(/\$\{?([A-Z][A-Z0-9_]+)/g)) names.add(m[1]!);
  return names;
}

/** `from_env` names in a ClickHouse XML file. */
function fromEnvNames(xmlFile: string): string[] {
  return [...read(xmlFile).matchAll(/from_env="(\w+)"/g)].map((m) => m[1]!);
}

/** Files the service mounts from the repository. */
function boundFiles(service: Service): string[] {
  return (service.volumes ?? []).filter((v) => v.startsWith('./')).map((v) => v.split(':')[0]!.slice(2));
}

// The official ClickHouse image's entrypoint reads these (its Docker Hub documentation).
const CLICKHOUSE_IMAGE_ENV = ['CLICKHOUSE_DB', 'CLICKHOUSE_USER', 'CLICKHOUSE_PASSWORD', 'CLICKHOUSE_DEFAULT_ACCESS_MANAGEMENT', 'CLICKHOUSE_SKIP_USER_SETUP'];
// Node itself and Next.js.
const PLATFORM_ENV = ['NODE_ENV', 'NODE_OPTIONS', 'NEXT_TELEMETRY_DISABLED'];

function allowedEnv(kind: Kind, service: Service): Set<string> {
  switch (kind) {
    case 'collector':
      return new Set([...COLLECTOR_ENV_NAMES, ...PLATFORM_ENV]);
    case 'dashboard':
      return new Set([...dashboardEnvNames(), ...PLATFORM_ENV]);
    case 'cli':
      return new Set([...envNamesReadIn(['infra/src/cli', 'infra/src/loadgen']), ...PLATFORM_ENV]);
    case 'clickhouse':
      return new Set([...CLICKHOUSE_IMAGE_ENV, ...boundFiles(service).filter((f) => f.endsWith('.xml')).flatMap(fromEnvNames)]);
    case 'keeper':
      return new Set(boundFiles(service).filter((f) => f.endsWith('.xml')).flatMap(fromEnvNames));
  }
}

// ---- Dockerfiles ----

interface Stage {
  name: string;
  from: string;
  lines: string[];
}

/** Stages of a Dockerfile, with continuation lines joined and comments dropped. */
function stages(dockerfile: string): Stage[] {
  const lines = read(dockerfile)
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const out: Stage[] = [];
  for (const line of lines) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) out.push({ from: from[1]!, name: from[2] ?? String(out.length), lines: [] });
    else out.at(-1)?.lines.push(line);
  }
  return out;
}

function instruction(stage: Stage, name: string): string[] {
  return stage.lines.filter((l) => l.toUpperCase().startsWith(`${name} `)).map((l) => l.slice(name.length + 1).trim());
}

/** `npm run build --workspace=<name>` commands and `npm ci` in a stage. */
function buildsIn(stage: Stage): { ci: boolean; workspaces: string[] } {
  const run = instruction(stage, 'RUN').join(' && ');
  return {
    ci: /\bnpm ci\b/.test(run),
    workspaces: [...run.matchAll(/npm run build --workspace=(\S+)/g)].map((m) => m[1]!),
  };
}

const WORKSPACES = (JSON.parse(read('package.json')) as { workspaces: string[] }).workspaces;
const workspaceDirByName = new Map(WORKSPACES.map((dir) => [(JSON.parse(read(`${dir}/package.json`)) as { name: string }).name, dir]));

/** The program a runtime stage starts: ENTRYPOINT + CMD in exec form. */
function startCommand(stage: Stage): string[] {
  const json = (s: string | undefined) => (s ? (JSON.parse(s) as string[]) : []);
  const entrypoint = json(instruction(stage, 'ENTRYPOINT').at(-1));
  const cmd = json(instruction(stage, 'CMD').at(-1));
  return [...entrypoint, ...cmd];
}

// ---- the checks ----

const dataDir = freshDataDir();
let collectorUrl: string;
let stopCollector: () => Promise<void>;

beforeAll(async () => {
  const collector = await startTestCollector(dataDir.dir);
  collectorUrl = collector.url;
  stopCollector = () => collector.stop();
});
afterAll(async () => {
  await stopCollector?.();
  await dataDir.remove();
});

describe.each(COMPOSE_FILES)('%s', (file) => {
  const spec = compose(file);
  const services = Object.entries(spec.services);
  const ofKind = (kind: Kind) => services.filter(([, s]) => kindOf(s) === kind);

  it('pins every image to an exact version', () => {
    for (const [name, service] of services) {
      if (service.image === undefined) {
        expect(service.build, `${name} has neither image nor build`).toBeDefined();
        continue;
      }
      expect(service.image, name).not.toMatch(/:latest$|^[^:]+$/);
      expect(service.image, name).toMatch(/^[\w./-]+:\d+\.\d+\.\d+(\.\d+)?(-[\w.]+)?$/);
    }
    // Keeper and servers on one release.
    const versions = new Set(services.filter(([, s]) => s.image?.startsWith('clickhouse/')).map(([, s]) => s.image!.split(':')[1]));
    expect(versions.size).toBe(1);
  });

  it('sets only variables the program in each container reads, with values it accepts', () => {
    for (const [name, service] of services) {
      const kind = kindOf(service);
      const allowed = allowedEnv(kind, service);
      for (const variable of Object.keys(environment(service))) {
        expect(allowed.has(variable), `${name} (${kind}) sets ${variable}, which it never reads`).toBe(true);
      }
    }
    for (const [name, service] of ofKind('collector')) {
      // The collector's own validation: a bad value here would stop it at start.
      const config = loadCollectorConfig(environment(service), []);
      expect(config.host, name).toBe('0.0.0.0');
      expect(config.clickhouseUrl, `${name} runs on a ClickHouse server`).toBeDefined();
      expect(config.ingestKey, `${name} requires a key for writes`).toBeDefined();
    }
  });

  it('refuses to start without the secrets it needs, naming them', () => {
    const withoutSecrets = () => services.forEach(([, s]) => Object.values(s.environment ?? {}).forEach((v) => interpolate(String(v), {})));
    expect(withoutSecrets).toThrow(/is required: set \w+ in \.env/);
  });

  it('connects the services through the ports and names they listen on', () => {
    const byName = new Map(services);
    for (const [name, service] of ofKind('collector')) {
      const config = loadCollectorConfig(environment(service), []);
      // OTLP/HTTP with the query API, and OTLP/gRPC.
      expect(containerPorts(service), name).toEqual([config.port, config.grpcPort]);
      expect(healthUrl(service).port, name).toBe(String(config.port));
      const clickhouse = new URL(config.clickhouseUrl!);
      expect(kindOf(byName.get(clickhouse.hostname)!), `${name}: CLICKHOUSE_URL names a ClickHouse service`).toBe('clickhouse');
      expect(clickhouse.port, `${name}: ClickHouse's HTTP port`).toBe('8123');
      expect(clickhouse.username, name).toBe(environment(byName.get(clickhouse.hostname)!).CLICKHOUSE_USER);
      expect(decodeURIComponent(clickhouse.password), name).toBe(environment(byName.get(clickhouse.hostname)!).CLICKHOUSE_PASSWORD);
      expect(dependsOn(service)[clickhouse.hostname] ?? Object.values(dependsOn(service))[0], name).toBe('service_healthy');
    }
    for (const [name, service] of [...ofKind('dashboard'), ...ofKind('cli')]) {
      const target = new URL(environment(service).COLLECTOR_URL!);
      const collector = byName.get(target.hostname);
      expect(collector && kindOf(collector), `${name}: COLLECTOR_URL names a collector service`).toBe('collector');
      expect(target.port, name).toBe(String(loadCollectorConfig(environment(collector!), []).port));
      expect(dependsOn(service)[target.hostname], `${name} waits for the collector to be ready`).toBe('service_healthy');
    }
    for (const [name, service] of ofKind('dashboard')) {
      const env = environment(service);
      // The dashboard's start script defaults DASHBOARD_PORT to 3000.
      const port = Number(env.DASHBOARD_PORT ?? 3000);
      expect(containerPorts(service), name).toEqual([port]);
      expect(healthUrl(service).port, name).toBe(String(port));
      expect(env.DASHBOARD_HOST, `${name} listens beyond the container's loopback`).toBe('0.0.0.0');
    }
    for (const [name, service] of services) {
      for (const [dependency, condition] of Object.entries(dependsOn(service))) {
        expect(byName.has(dependency), `${name} depends on a missing ${dependency}`).toBe(true);
        if (condition === 'service_healthy') expect(byName.get(dependency)!.healthcheck, `${dependency} has no health check`).toBeDefined();
      }
      for (const bound of boundFiles(service)) expect(existsSync(join(ROOT, bound)), `${name} mounts ${bound}`).toBe(true);
    }
    const named = new Set(Object.keys(spec.volumes ?? {}));
    for (const [name, service] of services) {
      for (const volume of (service.volumes ?? []).filter((v) => !v.startsWith('./'))) {
        expect(named.has(volume.split(':')[0]!), `${name} uses an undeclared volume ${volume}`).toBe(true);
      }
    }
    // The demo only runs when asked for.
    for (const [, service] of ofKind('cli')) expect(service.profiles).toEqual(['demo']);
  });

  it('checks health on routes that exist', async () => {
    for (const [name, service] of ofKind('collector')) {
      const url = healthUrl(service);
      const response = await fetch(`${collectorUrl}${url.pathname}`);
      expect(response.status, `${name}: GET ${url.pathname} on a real collector`).toBe(200);
    }
    for (const [name, service] of ofKind('dashboard')) {
      const path = healthUrl(service).pathname;
      const page = path === '/' ? 'dashboard/src/app/page.tsx' : `dashboard/src/app${path}/page.tsx`;
      expect(existsSync(join(ROOT, page)), `${name}: ${path} is a dashboard page`).toBe(true);
    }
    for (const [name, service] of ofKind('clickhouse')) {
      expect(JSON.stringify(service.healthcheck?.test), name).toContain('SELECT 1');
    }
  });

  it('runs the demo with flags the CLI accepts', async () => {
    const { parseLoadgenFlags } = await import('../src/loadgen/loadgen-flags.js');
    for (const [name, service] of ofKind('cli')) {
      const [command, ...flags] = service.command ?? [];
      expect(command, name).toBe('loadgen');
      const parsed = parseLoadgenFlags(flags, environment(service));
      expect(parsed.kind, `${name}: ${JSON.stringify(parsed)}`).toBe('run');
    }
  });
});

describe('the cluster compose file', () => {
  const spec = compose('docker-compose.cluster.yml');
  const services = Object.entries(spec.services);
  const config = read('infra/docker/clickhouse/cluster.xml').replace(/<!--[\s\S]*?-->/g, '');

  it('points the collectors at the cluster the servers define, 2 shards x 1 replica, through the Keeper that runs', () => {
    const cluster = /<remote_servers>\s*<(\w+)>/.exec(config)?.[1];
    const collectors = services.filter(([, s]) => kindOf(s) === 'collector');
    expect(collectors.length).toBe(2);
    for (const [, service] of collectors) expect(loadCollectorConfig(environment(service), []).clickhouseCluster).toBe(cluster);

    const hosts = [...config.matchAll(/<host>([\w-]+)<\/host>/g)].map((m) => m[1]!);
    const servers = services.filter(([, s]) => kindOf(s) === 'clickhouse');
    expect(config.match(/<shard>/g)?.length).toBe(2);
    expect(config.match(/<replica>/g)?.length).toBe(2);
    const keeperHost = /<zookeeper>[\s\S]*?<host>([\w-]+)<\/host>\s*<port>(\d+)<\/port>/.exec(config)!;
    expect(hosts.filter((h) => h !== keeperHost[1]).sort()).toEqual(servers.map(([, s]) => s.hostname).sort());
    // Each server names itself, uniquely, for the Replicated tables' macros.
    const macros = servers.map(([, s]) => `${environment(s).CLICKHOUSE_SHARD}/${environment(s).CLICKHOUSE_REPLICA}`);
    expect(new Set(macros).size).toBe(2);
    for (const [, s] of servers) expect(boundFiles(s)).toContain('infra/docker/clickhouse/cluster.xml');

    const keeper = services.find(([name]) => name === keeperHost[1]);
    expect(keeper && kindOf(keeper[1])).toBe('keeper');
    const keeperConfig = read(boundFiles(keeper![1]).find((f) => f.endsWith('.xml'))!).replace(/<!--[\s\S]*?-->/g, '');
    expect(/<tcp_port>(\d+)<\/tcp_port>/.exec(keeperConfig)?.[1]).toBe(keeperHost[2]);
    expect(/<raft_configuration>[\s\S]*<hostname>([\w-]+)<\/hostname>/.exec(keeperConfig)?.[1]).toBe(keeperHost[1]);
  });

  it('gives each collector its own replica id for the alert leader lease', () => {
    const ids = services.filter(([, s]) => kindOf(s) === 'collector').map(([, s]) => environment(s).COLLECTOR_REPLICA_ID);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe.each(['collector', 'dashboard', 'cli'])('infra/docker/%s.Dockerfile', (kind) => {
  const dockerfile = `infra/docker/${kind}.Dockerfile`;
  const all = stages(dockerfile);
  const runtime = all.at(-1)!;

  it('is used by the compose files', () => {
    const used = COMPOSE_FILES.flatMap((f) => Object.values(compose(f).services)).map((s) => s.build?.dockerfile);
    expect(used).toContain(dockerfile);
  });

  it('builds in stages from a pinned Node image and runs as a non-root user', () => {
    expect(all.length).toBeGreaterThanOrEqual(3);
    for (const stage of all) {
      if (all.some((s) => s.name === stage.from)) continue;
      expect(stage.from).toMatch(/^node:\d+\.\d+\.\d+-bookworm-slim$/);
    }
    expect(new Set(all.map((s) => s.from).filter((f) => f.startsWith('node:'))).size).toBe(1);
    const users = instruction(runtime, 'USER');
    expect(users.at(-1)).toBe('node');
    // Nothing in the runtime stage runs as root after that.
    const lastUser = runtime.lines.map((l) => l.toUpperCase().startsWith('USER ')).lastIndexOf(true);
    expect(runtime.lines.slice(lastUser + 1).filter((l) => /^RUN /i.test(l))).toEqual([]);
  });

  it('installs with npm ci and runs the builds that exist, with every workspace manifest copied first', () => {
    const build = all.find((s) => buildsIn(s).ci && buildsIn(s).workspaces.length > 0);
    expect(build, 'a stage runs npm ci and npm run build').toBeDefined();
    for (const workspace of buildsIn(build!).workspaces) {
      const dir = workspaceDirByName.get(workspace);
      expect(dir, `${workspace} is a workspace`).toBeDefined();
      expect((JSON.parse(read(`${dir}/package.json`)) as { scripts?: Record<string, string> }).scripts?.build, `${workspace} has a build script`).toBeDefined();
    }
    for (const stage of all.filter((s) => buildsIn(s).ci)) {
      const copied = instruction(stage, 'COPY').join('\n');
      for (const dir of WORKSPACES) expect(copied, `${stage.name} copies ${dir}/package.json before npm ci`).toContain(`${dir}/package.json`);
      expect(copied).toContain('package-lock.json');
    }
    // The runtime's dependencies: production only, of the one workspace it runs.
    const deps = all.find((s) => /npm ci --omit=dev --workspace=/.test(instruction(s, 'RUN').join(' ')));
    expect(deps, 'a stage installs production dependencies only').toBeDefined();
    expect(runtime.lines.join('\n')).not.toMatch(/\btsx\b|npm (ci|install)/);
  });

  it('copies into the image only files that exist or that its build produces', () => {
    for (const stage of all) {
      for (const copy of instruction(stage, 'COPY')) {
        const parts = copy.split(/\s+/).filter((p) => !p.startsWith('--chown'));
        const fromStage = /^--from=(\S+)/.exec(parts[0]!)?.[1];
        const sources = (fromStage ? parts.slice(1) : parts).slice(0, -1);
        for (const source of sources) {
          const path = source.replace(/^\/app\//, '');
          if (fromStage === 'prod-deps' && path === 'node_modules') continue;
          const built = /^(.+?)\/(dist|\.next)$/.exec(path);
          if (fromStage && built) {
            const producedBy = [...workspaceDirByName.entries()].find(([, dir]) => dir === built[1])?.[0];
            const source = built[2] === 'dist' ? `${built[1]}/src` : `${built[1]}/src/app`;
            expect(existsSync(join(ROOT, source)), `${stage.name}: ${path} is built from ${source}`).toBe(true);
            const builders = all.flatMap((s) => buildsIn(s).workspaces);
            // dist of a workspace the build compiles, or one of its project references.
            expect(producedBy !== undefined && (builders.includes(producedBy) || built[2] === 'dist'), `${path} comes from a build`).toBe(true);
            continue;
          }
          expect(existsSync(join(ROOT, path)), `${stage.name}: COPY ${path}`).toBe(true);
        }
      }
    }
  });

  it('starts a file that is in the image', () => {
    const command = startCommand(runtime);
    expect(command[0]).toMatch(/^(node|sh)$/);
    const workdir = instruction(runtime, 'WORKDIR').at(-1)!;
    const copied = instruction(runtime, 'COPY').map((c) => c.split(/\s+/).at(-1)!.replace(/\/$/, ''));
    if (command[0] === 'node') {
      const entry = command[1]!;
      expect(existsSync(join(ROOT, entry)), `${entry} is in the repository`).toBe(true);
      expect(copied.some((dest) => entry.startsWith(`${dest}/`)), `${entry} is copied into the runtime stage`).toBe(true);
      // The bin script imports the compiled entry point, which tsc builds from src.
      const target = /new URL\('\.\.\/dist\/([\w/.-]+)\.js'/.exec(read(entry))?.[1];
      expect(target, `${entry} runs a file under dist/`).toBeDefined();
      const pkg = entry.split('/bin/')[0]!;
      expect(existsSync(join(ROOT, pkg, 'src', `${target}.ts`)), `${pkg}/src/${target}.ts`).toBe(true);
      expect(copied).toContain(`${pkg}/dist`);
    } else {
      // The dashboard: next start from the dashboard's production dependencies.
      const script = command.join(' ');
      const next = /node (\/app\/node_modules\/next\/dist\/bin\/next) start/.exec(script)?.[1];
      expect(next).toBeDefined();
      expect(existsSync(join(ROOT, next!.replace('/app/', '')))).toBe(true);
      expect(workdir).toBe('/app/dashboard');
      expect((JSON.parse(read('dashboard/package.json')) as { dependencies: Record<string, string> }).dependencies.next).toBeDefined();
      expect(script).toContain('$DASHBOARD_PORT');
      expect(copied).toContain('dashboard/.next');
    }
  });
});

describe('.dockerignore', () => {
  it('keeps dependencies, build output, data and secrets out of the build context', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim());
    for (const pattern of ['**/node_modules', '**/dist', '**/.next', 'data', '.env', '.git']) expect(ignored).toContain(pattern);
    // ...but not what the images build from.
    for (const needed of ['package-lock.json', 'collector/migrations', 'collector/proto', 'dashboard/next.config.ts']) {
      expect(statSync(join(ROOT, needed)).isFile() || statSync(join(ROOT, needed)).isDirectory()).toBe(true);
      expect(ignored).not.toContain(needed);
    }
  });
});
