/**
 * Realistic TunnelVision telemetry for the ingest benchmark: log records
 * emitted through the OpenTelemetry JS logs SDK (as an instrumented app
 * would) and serialized with the official OTLP serializers.
 *
 * A small pool of simulated clients per service drives a connection state
 * machine: conn.open, messages sent / acked / dropped while open, conn.close
 * with 1000 / 1001 / 1006, and after an abnormal close (1006)
 * conn.reconnect.scheduled followed by a reconnecting conn.open. Everything is
 * seeded, so every run produces the same records (timestamps are relative to
 * the start of the run so they stay inside the table's retention).
 */
import { gzipSync } from 'node:zlib';
import { ROOT_CONTEXT, trace, TraceFlags, type Context } from '@opentelemetry/api';
import { SeverityNumber, type Logger, type Attributes } from '@opentelemetry/api';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import {
  ATTR_CLOSE_CLEAN,
  ATTR_CLOSE_CODE,
  ATTR_CLOSE_REASON,
  ATTR_CONNECTION_ATTEMPT,
  ATTR_CONNECTION_DOWNTIME_MS,
  ATTR_CONNECTION_DURATION_MS,
  ATTR_CONNECTION_ID,
  ATTR_DEPLOYMENT_ENVIRONMENT,
  ATTR_MESSAGE_CHANNEL,
  ATTR_MESSAGE_DROP_REASON,
  ATTR_MESSAGE_ID,
  ATTR_MESSAGE_LATENCY_MS,
  ATTR_MESSAGE_SEQ,
  ATTR_MESSAGE_SIZE,
  ATTR_RECONNECT_ATTEMPT,
  ATTR_RECONNECT_DELAY_MS,
  ATTR_RECONNECT_JITTER_MS,
  ATTR_ROLE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  ATTR_SESSION_ID,
  ATTR_USER_ID,
  DROP_REASONS,
  EVENT_CONN_CLOSE,
  EVENT_CONN_OPEN,
  EVENT_CONN_RECONNECT_SCHEDULED,
  EVENT_MSG_ACKED,
  EVENT_MSG_DROPPED,
  EVENT_MSG_SENT,
  SEMCONV_SCHEMA_URL,
} from '@tunnelvision/semconv';
import { seededRandom } from '@tunnelvision/test-support';

/** One OTLP export request, serialized both ways before any timing starts. */
export interface SerializedRequest {
  records: number;
  json: Uint8Array;
  protobuf: Uint8Array;
  gzipJson: Uint8Array;
  gzipProtobuf: Uint8Array;
}

export interface FixtureOptions {
  events: number;
  recordsPerRequest: number;
  seed?: number;
}

/** The services sending telemetry; each request comes from one of them (one resource per export). */
const SERVICES = [
  { name: 'chat-web', version: '4.12.0', environment: 'production', role: 'client' },
  { name: 'chat-web', version: '4.13.0', environment: 'production', role: 'client' },
  { name: 'chat-mobile', version: '2.7.1', environment: 'production', role: 'client' },
  { name: 'chat-gateway', version: '1.30.2', environment: 'staging', role: 'server' },
] as const;

const GATEWAYS = ['gw-eu-1.chat.example.com', 'gw-eu-2.chat.example.com', 'gw-us-1.chat.example.com'];
const CHANNELS = ['room:general', 'room:random', 'dm', 'presence', 'typing'];
const LIVE_SESSIONS_PER_SERVICE = 250;
const MAX_UNACKED = 8;

/** Builds `events` records and serializes them into requests of `recordsPerRequest`. */
export async function buildSerializedRequests(options: FixtureOptions): Promise<SerializedRequest[]> {
  const random = seededRandom(options.seed ?? 0x7f4a7c15);
  const clock = new EventClock(Date.now() - 10 * 60_000);
  const emitters = SERVICES.map((service) => new ServiceEmitter(service, random, clock));
  const requests: SerializedRequest[] = [];
  for (let emitted = 0, i = 0; emitted < options.events; i++) {
    const count = Math.min(options.recordsPerRequest, options.events - emitted);
    const records = await emitters[i % emitters.length]!.emitBatch(count);
    requests.push(serialize(records));
    emitted += count;
  }
  return requests;
}

function serialize(records: ReadableLogRecord[]): SerializedRequest {
  const protobuf = required(ProtobufLogsSerializer.serializeRequest(records));
  const json = required(JsonLogsSerializer.serializeRequest(records));
  return {
    records: records.length,
    json,
    protobuf,
    gzipJson: gzipSync(json),
    gzipProtobuf: gzipSync(protobuf),
  };
}

function required(bytes: Uint8Array | undefined): Uint8Array {
  if (!bytes) throw new Error('OTLP serializer returned nothing');
  return bytes;
}

/** Monotonic event time: a few milliseconds between consecutive events. */
class EventClock {
  constructor(private millis: number) {}
  tick(random: () => number): number {
    this.millis += random() * 3;
    return this.millis;
  }
}

type SessionState = 'new' | 'open' | 'reconnecting' | 'reopening';

interface Session {
  sessionId: string;
  userId: string;
  serverAddress: string;
  connectionId: string;
  connectionNo: number;
  state: SessionState;
  openedAt: number;
  closedAt: number;
  reconnectAttempt: number;
  nextSeq: number;
  unacked: string[];
}

/** One service (one OTel resource) with its live client sessions. */
class ServiceEmitter {
  private readonly exporter = new InMemoryLogRecordExporter();
  private readonly provider: LoggerProvider;
  private readonly logger: Logger;
  private readonly sessions: Session[] = [];
  private sessionCounter = 0;

  constructor(
    private readonly service: (typeof SERVICES)[number],
    private readonly random: () => number,
    private readonly clock: EventClock,
  ) {
    const resource = resourceFromAttributes({
      [ATTR_SERVICE_NAME]: service.name,
      [ATTR_SERVICE_VERSION]: service.version,
      [ATTR_DEPLOYMENT_ENVIRONMENT]: service.environment,
      [ATTR_ROLE]: service.role,
    });
    this.provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: this.exporter })] });
    this.logger = this.provider.getLogger('@tunnelvision/sdk', '0.1.0', { schemaUrl: SEMCONV_SCHEMA_URL });
    for (let i = 0; i < LIVE_SESSIONS_PER_SERVICE; i++) this.sessions.push(this.newSession());
  }

  /** Emits `count` records through the SDK and returns them as the exporter received them. */
  async emitBatch(count: number): Promise<ReadableLogRecord[]> {
    for (let i = 0; i < count; i++) {
      const slot = Math.floor(this.random() * this.sessions.length);
      this.step(slot, this.clock.tick(this.random));
    }
    await this.provider.forceFlush();
    const records = this.exporter.getFinishedLogRecords();
    this.exporter.reset();
    if (records.length !== count) throw new Error(`expected ${count} records from the SDK, got ${records.length}`);
    return records;
  }

  /** Advances one session by exactly one event. */
  private step(slot: number, now: number): void {
    const s = this.sessions[slot]!;
    switch (s.state) {
      case 'new':
        return this.open(s, now);
      case 'reconnecting':
        return this.scheduleReconnect(s, now);
      case 'reopening':
        return this.open(s, now);
      case 'open': {
        const r = this.random();
        if (r < 0.45 && s.unacked.length < MAX_UNACKED) return this.send(s, now);
        if (r < 0.88 && s.unacked.length > 0) return this.ack(s, now);
        if (r < 0.9 && s.unacked.length > 0) return this.drop(s, now);
        if (r < 0.915) return this.close(s, slot, now);
        return this.send(s, now);
      }
    }
  }

  private open(s: Session, now: number): void {
    const reconnect = s.state === 'reopening';
    s.connectionNo += 1;
    s.connectionId = `${s.sessionId}-c${s.connectionNo}`;
    const attributes: Attributes = { [ATTR_CONNECTION_ATTEMPT]: reconnect ? s.reconnectAttempt + 1 : 1 };
    if (reconnect) attributes[ATTR_CONNECTION_DOWNTIME_MS] = round(now - s.closedAt);
    this.emit(EVENT_CONN_OPEN, SeverityNumber.INFO, s, now, attributes);
    s.state = 'open';
    s.openedAt = now;
    s.reconnectAttempt = 0;
  }

  private send(s: Session, now: number): void {
    const id = `${s.sessionId}-m${s.nextSeq}`;
    this.emit(EVENT_MSG_SENT, SeverityNumber.DEBUG, s, now, {
      [ATTR_MESSAGE_ID]: id,
      [ATTR_MESSAGE_SEQ]: s.nextSeq,
      [ATTR_MESSAGE_CHANNEL]: pick(CHANNELS, this.random),
      [ATTR_MESSAGE_SIZE]: 40 + Math.floor(this.random() * 2_000),
    }, this.messageContext());
    s.unacked.push(id);
    s.nextSeq += 1;
  }

  private ack(s: Session, now: number): void {
    const id = s.unacked.shift()!;
    // Mostly tens of milliseconds with a long tail.
    const latency = 5 + this.random() * 40 + (this.random() < 0.05 ? this.random() * 2_000 : 0);
    this.emit(EVENT_MSG_ACKED, SeverityNumber.DEBUG, s, now, {
      [ATTR_MESSAGE_ID]: id,
      [ATTR_MESSAGE_LATENCY_MS]: round(latency),
    }, this.messageContext());
  }

  private drop(s: Session, now: number): void {
    const id = s.unacked.shift()!;
    this.emit(EVENT_MSG_DROPPED, SeverityNumber.WARN, s, now, {
      [ATTR_MESSAGE_ID]: id,
      [ATTR_MESSAGE_DROP_REASON]: pick(DROP_REASONS, this.random),
    }, this.messageContext());
  }

  private close(s: Session, slot: number, now: number): void {
    const r = this.random();
    const [code, reason] = r < 0.4 ? [1000, 'normal closure'] : r < 0.7 ? [1001, 'going away'] : [1006, ''];
    const attributes: Attributes = {
      [ATTR_CLOSE_CODE]: code,
      [ATTR_CLOSE_CLEAN]: code !== 1006,
      [ATTR_CONNECTION_DURATION_MS]: round(now - s.openedAt),
    };
    if (reason) attributes[ATTR_CLOSE_REASON] = reason;
    this.emit(EVENT_CONN_CLOSE, code === 1006 ? SeverityNumber.WARN : SeverityNumber.INFO, s, now, attributes);
    s.unacked = [];
    s.closedAt = now;
    if (code === 1006) s.state = 'reconnecting';
    else this.sessions[slot] = this.newSession(); // the user left; someone else connects
  }

  private scheduleReconnect(s: Session, now: number): void {
    s.reconnectAttempt += 1;
    const base = Math.min(30_000, 500 * 2 ** (s.reconnectAttempt - 1));
    const jitter = round(this.random() * base * 0.3);
    this.emit(EVENT_CONN_RECONNECT_SCHEDULED, SeverityNumber.INFO, s, now, {
      [ATTR_RECONNECT_ATTEMPT]: s.reconnectAttempt,
      [ATTR_RECONNECT_DELAY_MS]: base + jitter,
      [ATTR_RECONNECT_JITTER_MS]: jitter,
    });
    // One in four attempts fails and schedules another one.
    s.state = this.random() < 0.25 ? 'reconnecting' : 'reopening';
  }

  /** Identity attributes every record carries, plus the event's own. */
  private emit(eventName: string, severity: SeverityNumber, s: Session, at: number, attributes: Attributes, context?: Context): void {
    this.logger.emit({
      eventName,
      timestamp: at,
      observedTimestamp: at + 1 + this.random() * 50,
      severityNumber: severity,
      severityText: SeverityNumber[severity],
      attributes: {
        [ATTR_SESSION_ID]: s.sessionId,
        [ATTR_USER_ID]: s.userId,
        [ATTR_CONNECTION_ID]: s.connectionId,
        [ATTR_SERVER_ADDRESS]: s.serverAddress,
        ...attributes,
      },
      ...(context ? { context } : {}),
    });
  }

  /** Message events carry the trace context of the send, as an instrumented app would. */
  private messageContext(): Context {
    return trace.setSpanContext(ROOT_CONTEXT, {
      traceId: hex(this.random, 32),
      spanId: hex(this.random, 16),
      traceFlags: TraceFlags.SAMPLED,
    });
  }

  private newSession(): Session {
    this.sessionCounter += 1;
    const sessionId = `${this.service.name}-${this.service.version}-s${this.sessionCounter}-${hex(this.random, 8)}`;
    return {
      sessionId,
      userId: `u-${Math.floor(this.random() * 50_000)}`,
      serverAddress: pick(GATEWAYS, this.random),
      connectionId: '',
      connectionNo: 0,
      state: 'new',
      openedAt: 0,
      closedAt: 0,
      reconnectAttempt: 0,
      nextSeq: 1,
      unacked: [],
    };
  }
}

function pick<T>(values: readonly T[], random: () => number): T {
  return values[Math.floor(random() * values.length)]!;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function hex(random: () => number, digits: number): string {
  let out = '';
  while (out.length < digits) out += Math.floor(random() * 0x1_0000_0000).toString(16).padStart(8, '0');
  return out.slice(0, digits);
}
