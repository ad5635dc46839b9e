import { describe, expect, it } from 'vitest';
import { loadCollectorConfig } from '../../src/config/collector-config.js';
import { ConfigError } from '../../src/errors.js';

describe('loadCollectorConfig', () => {
  it('works with no configuration at all', () => {
    expect(loadCollectorConfig({}, [])).toMatchObject({
      port: 4318,
      grpcPort: 4317,
      host: '127.0.0.1',
      dataDir: './data',
      clickhouseUrl: undefined,
      database: 'tunnelvision',
      batchMaxRows: 10_000,
      batchMinIntervalMillis: 25,
      corsOrigins: ['*'],
    });
  });

  it('reads the environment, and flags win over it', () => {
    const config = loadCollectorConfig(
      { COLLECTOR_PORT: '5000', CLICKHOUSE_URL: 'http://ch:8123', COLLECTOR_CORS_ORIGINS: 'https://a.example, http://localhost:3000' },
      ['--port', '6000'],
    );
    expect(config.port).toBe(6000);
    expect(config.clickhouseUrl).toBe('http://ch:8123');
    expect(config.corsOrigins).toEqual(['https://a.example', 'http://localhost:3000']);
  });

  it('takes the OTLP/gRPC port, or off for no gRPC listener', () => {
    expect(loadCollectorConfig({ COLLECTOR_GRPC_PORT: '5317' }, []).grpcPort).toBe(5317);
    expect(loadCollectorConfig({ COLLECTOR_GRPC_PORT: 'off' }, []).grpcPort).toBe('off');
    expect(loadCollectorConfig({}, ['--grpc-port', '0']).grpcPort).toBe(0);
    expect(() => loadCollectorConfig({ COLLECTOR_GRPC_PORT: 'no' }, [])).toThrow(/COLLECTOR_GRPC_PORT="no": must be a port number \(0-65535\) or off/);
  });

  it('names every bad variable and what is wrong with it', () => {
    let error: unknown;
    try {
      loadCollectorConfig({ COLLECTOR_PORT: '99999', CLICKHOUSE_URL: 'tcp://ch:9000', CLICKHOUSE_DATABASE: 'x; DROP', COLLECTOR_LOG_LEVEL: 'loud' }, []);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems } = error as ConfigError;
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^COLLECTOR_PORT="99999": /);
    expect(problems[1]).toMatch(/^CLICKHOUSE_URL="tcp:\/\/ch:9000": .*http/);
    expect(problems[2]).toMatch(/^CLICKHOUSE_DATABASE=.*plain identifier/);
    expect(problems[3]).toMatch(/^COLLECTOR_LOG_LEVEL="loud"/);
  });

  it('requires sign-in in production unless told otherwise, and checks the first admin', () => {
    expect(loadCollectorConfig({}, []).auth).toBe('open');
    expect(loadCollectorConfig({ NODE_ENV: 'production' }, []).auth).toBe('required');
    expect(loadCollectorConfig({ NODE_ENV: 'production', COLLECTOR_AUTH: 'open' }, []).auth).toBe('open');
    expect(loadCollectorConfig({}, ['--auth', 'required']).auth).toBe('required');
    expect(() => loadCollectorConfig({ COLLECTOR_AUTH: 'none' }, [])).toThrow(/COLLECTOR_AUTH="none"/);
    expect(() => loadCollectorConfig({ TUNNELVISION_ADMIN_PASSWORD: 'short' }, [])).toThrow(/TUNNELVISION_ADMIN_PASSWORD=\(hidden\): must be at least 12 characters/);
    expect(() => loadCollectorConfig({ COLLECTOR_INGEST_KEY: 'leaky' }, [])).toThrow(/^(?![\s\S]*leaky)[\s\S]*COLLECTOR_INGEST_KEY=\(hidden\)/);
    expect(() => loadCollectorConfig({ CLICKHOUSE_URL: 'ftp://u:hunter2@ch:9000' }, [])).toThrow(/^(?![\s\S]*hunter2)[\s\S]*CLICKHOUSE_URL="ftp:\/\/u:\*\*\*@ch:9000"/);
    expect(() => loadCollectorConfig({ TUNNELVISION_ADMIN_USER: 'a b' }, [])).toThrow(/TUNNELVISION_ADMIN_USER/);
  });

  it('answers once stored by default, and refuses to answer once spooled without a spool', () => {
    expect(loadCollectorConfig({}, []).acknowledge).toBe('stored');
    expect(loadCollectorConfig({ COLLECTOR_ACK: 'spooled' }, []).acknowledge).toBe('spooled');
    expect(() => loadCollectorConfig({ COLLECTOR_ACK: 'spooled', COLLECTOR_SPOOL_MAX_BYTES: '0' }, [])).toThrow(/COLLECTOR_ACK=spooled needs the spool/);
    expect(() => loadCollectorConfig({ COLLECTOR_ACK: 'later' }, [])).toThrow(/COLLECTOR_ACK="later": Invalid option: expected one of "stored"\|"spooled"/);
  });

  it('refuses a cluster without a ClickHouse server', () => {
    expect(() => loadCollectorConfig({ CLICKHOUSE_CLUSTER: 'prod' }, [])).toThrow(/CLICKHOUSE_CLUSTER needs CLICKHOUSE_URL/);
    expect(loadCollectorConfig({ CLICKHOUSE_CLUSTER: 'prod', CLICKHOUSE_URL: 'http://ch:8123' }, []).clickhouseCluster).toBe('prod');
  });

  it('rejects unknown flags and names the flag in errors', () => {
    expect(() => loadCollectorConfig({}, ['--prot', '1'])).toThrow(/Unknown option '--prot'/);
    expect(() => loadCollectorConfig({}, ['--port', 'abc'])).toThrow(/--port="abc"/);
  });

  it('reads the alert settings and refuses bad ones by name', () => {
    const config = loadCollectorConfig(
      { ALERT_WEBHOOK_URL: 'https://hooks.example.com/tv', ALERT_WEBHOOK_SECRET: 'a'.repeat(32), ALERT_EVALUATION_INTERVAL_MILLIS: '5000' },
      ['--alert-rules-file', './rules.yaml'],
    );
    expect(config).toMatchObject({
      alertWebhookUrl: 'https://hooks.example.com/tv',
      alertEvaluationIntervalMillis: 5000,
      alertRulesFile: './rules.yaml',
      alertDashboardUrl: 'http://127.0.0.1:3000',
    });
    expect(() =>
      loadCollectorConfig({ ALERT_WEBHOOK_SECRET: 'short', ALERT_WEBHOOK_URL: 'ftp://x', ALERT_WEBHOOK_FORMAT: 'teams', ALERT_EVALUATION_INTERVAL_MILLIS: '10' }, []),
    ).toThrow(
      /ALERT_EVALUATION_INTERVAL_MILLIS="10": .*\n.*ALERT_WEBHOOK_URL="ftp:\/\/x": must start with http:\/\/ or https:\/\/\n.*ALERT_WEBHOOK_SECRET=\(hidden\): must be at least 16 characters.*\n.*ALERT_WEBHOOK_FORMAT="teams"/,
    );
    expect(() => loadCollectorConfig({ ALERT_WEBHOOK_SECRET: 'b'.repeat(20) }, [])).toThrow(/ALERT_WEBHOOK_SECRET is set but ALERT_WEBHOOK_URL is not/);
  });
});
