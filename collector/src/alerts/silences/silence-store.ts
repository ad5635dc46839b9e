import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import type { Silence } from '../../api-types.js';
import { NotFoundError, QueryParamError } from '../../errors.js';
import { instant, parseParams } from '../../query/query-params.js';
import { parseRuleDuration } from '../rules/rule-duration.js';

const MAX_SILENCE_MILLIS = 30 * 86_400_000;

const matcher = z
  .object({
    label: z.string().regex(/^[a-z_][a-z0-9_.]{0,63}$/, 'must be a label name such as service, environment, server, rule or severity'),
    op: z.enum(['=', '!=', '=~']).default('='),
    value: z.string().max(256),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.op !== '=~') return;
    try {
      new RegExp(`^(?:${m.value})$`);
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `not a valid regular expression: ${(err as Error).message}` });
    }
  });

const timeValue = z.union([z.number().int().nonnegative().transform(String), z.string()]).pipe(instant);

const newSilenceSchema = z
  .object({
    matchers: z.array(matcher).min(1, 'needs at least one matcher (a silence of everything is a mistake waiting to happen)').max(20),
    starts_at: timeValue.optional(),
    ends_at: timeValue.optional(),
    duration: z.string().optional(),
    created_by: z.string().trim().min(1, 'say who is silencing (a name or email)').max(200),
    comment: z.string().trim().min(1, 'say why (e.g. the incident or ticket)').max(2_000),
  })
  .strict();

const listSchema = z.object({ state: z.enum(['active', 'pending', 'expired', 'all']).default('all') });

interface SilenceRow {
  id: string;
  matchers: string;
  starts: string;
  ends: string;
  created_by: string;
  comment: string;
  created: string;
}

function stateAt(startsAt: number, endsAt: number, now: number): Silence['state'] {
  if (now < startsAt) return 'pending';
  return now < endsAt ? 'active' : 'expired';
}

/** Silences, stored in ClickHouse so every replica and the dashboard see the same ones. */
export class SilenceStore {
  constructor(
    private readonly client: ClickHouseClient,
    private readonly database: string,
  ) {}

  /** POST /api/v1/silences: validates and stores a silence (ends_at or duration, default 2h). */
  async create(body: unknown, now = Date.now()): Promise<Silence> {
    const input = parseParams(newSilenceSchema, body);
    const startsAt = input.starts_at ?? now;
    let endsAt = input.ends_at;
    if (endsAt === undefined) {
      const millis = input.duration === undefined ? 2 * 3_600_000 : parseRuleDuration(input.duration);
      if (millis === undefined || millis <= 0) throw new QueryParamError([`duration: "${input.duration}" is not a duration: use e.g. 30m, 2h or 1d`]);
      endsAt = startsAt + millis;
    }
    if (endsAt <= startsAt) throw new QueryParamError(['ends_at: must be after starts_at']);
    if (endsAt <= now) throw new QueryParamError(['ends_at: must be in the future']);
    if (endsAt - startsAt > MAX_SILENCE_MILLIS) throw new QueryParamError(['ends_at: a silence may last at most 30 days']);
    const silence: Silence = {
      id: randomUUID(),
      matchers: input.matchers,
      starts_at: new Date(startsAt).toISOString(),
      ends_at: new Date(endsAt).toISOString(),
      created_by: input.created_by,
      comment: input.comment,
      created_at: new Date(now).toISOString(),
      state: stateAt(startsAt, endsAt, now),
    };
    await this.write(silence, now);
    return silence;
  }

  /** DELETE /api/v1/silences/:id: ends the silence now. */
  async expire(id: string, now = Date.now()): Promise<Silence> {
    const silence = (await this.list({ state: 'all' }, now)).silences.find((s) => s.id === id);
    if (!silence) throw new NotFoundError(`No silence with id ${id}`);
    if (silence.state === 'expired') return silence;
    const expired: Silence = { ...silence, ends_at: new Date(now).toISOString(), state: 'expired' };
    if (Date.parse(expired.starts_at) > now) expired.starts_at = expired.ends_at;
    await this.write(expired, now);
    return expired;
  }

  /** GET /api/v1/silences; also what the evaluator reads each cycle. Newest first. */
  async list(rawParams: unknown, now = Date.now()): Promise<{ silences: Silence[] }> {
    const p = parseParams(listSchema, rawParams);
    const result = await this.client.query({
      query: `SELECT toString(Id) AS id, argMax(Matchers, UpdatedAt) AS matchers,
                     toUnixTimestamp64Milli(argMax(StartsAt, UpdatedAt)) AS starts, toUnixTimestamp64Milli(argMax(EndsAt, UpdatedAt)) AS ends,
                     argMax(CreatedBy, UpdatedAt) AS created_by, argMax(Comment, UpdatedAt) AS comment,
                     toUnixTimestamp64Milli(min(CreatedAt)) AS created
              FROM ${this.database}.alert_silences GROUP BY Id ORDER BY created DESC LIMIT 1000`,
      format: 'JSONEachRow',
    });
    const silences = (await result.json<SilenceRow>()).map((r): Silence => {
      const starts = Number(r.starts);
      const ends = Number(r.ends);
      return {
        id: r.id,
        matchers: JSON.parse(r.matchers) as Silence['matchers'],
        starts_at: new Date(starts).toISOString(),
        ends_at: new Date(ends).toISOString(),
        created_by: r.created_by,
        comment: r.comment,
        created_at: new Date(Number(r.created)).toISOString(),
        state: stateAt(starts, ends, now),
      };
    });
    return { silences: p.state === 'all' ? silences : silences.filter((s) => s.state === p.state) };
  }

  private async write(silence: Silence, now: number): Promise<void> {
    await this.client.insert({
      table: `${this.database}.alert_silences`,
      format: 'JSONEachRow',
      values: [
        {
          Id: silence.id,
          Matchers: JSON.stringify(silence.matchers),
          StartsAt: String(Date.parse(silence.starts_at)),
          EndsAt: String(Date.parse(silence.ends_at)),
          CreatedBy: silence.created_by,
          Comment: silence.comment,
          CreatedAt: String(Date.parse(silence.created_at)),
          UpdatedAt: String(now),
        },
      ],
    });
  }
}
