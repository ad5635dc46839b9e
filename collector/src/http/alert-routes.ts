import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AlertRulesResponse, AlertsResponse } from '../api-types.js';
import type { Alerting } from '../alerts/alerting.js';
import { QueryParamError } from '../errors.js';
import { fromStore } from './from-store.js';
import { jsonBody } from './json-body.js';

export interface AlertRouteOptions {
  /** The caller's tenant's alerting: rules, alerts and silences are per tenant. */
  alertingOf: (request: FastifyRequest) => Alerting;
}

/** Alerts, alert rules and silences under /api/v1 (docs/api.md, docs/alerts.md). */
export async function alertRoutes(app: FastifyInstance, options: AlertRouteOptions): Promise<void> {
  const { alertingOf } = options;

  app.get('/api/v1/alerts', async (request): Promise<AlertsResponse> =>
    fromStore(async () => {
      const { repository, lease, evaluator } = alertingOf(request);
      const [listed, renewed] = await Promise.all([repository.list(request.query), lease.lastRenewedAt()]);
      const last = evaluator.status().last;
      const evaluatedAt = last?.leader ? last.at : renewed;
      return { ...listed, evaluated_at: evaluatedAt === null ? null : new Date(evaluatedAt).toISOString() };
    }),
  );

  app.get('/api/v1/alerts/history', async (request) => fromStore(() => alertingOf(request).repository.history(request.query)));

  app.get('/api/v1/alerts/rules', async (request): Promise<AlertRulesResponse> =>
    fromStore(async () => {
      const alerting = alertingOf(request);
      const { catalog, repository, evaluator } = alerting;
      const [rules, active] = await Promise.all([catalog.rules(), repository.activeByRule()]);
      const errors = evaluator.status().ruleErrors;
      return {
        evaluation_interval_seconds: alerting.evaluationIntervalMillis / 1000,
        rules: rules.map((rule) => {
          const counts = active.get(rule.id) ?? { pending: 0, firing: 0 };
          return {
            ...rule,
            ...counts,
            state: counts.firing > 0 ? 'firing' : counts.pending > 0 ? 'pending' : 'inactive',
            last_error: errors.get(rule.id) ?? null,
          };
        }),
      };
    }),
  );

  app.put<{ Params: { id: string } }>('/api/v1/alerts/rules/:id', async (request) =>
    fromStore(async () => ({ rule: await alertingOf(request).catalog.put(request.params.id, jsonBody(request.body)) })),
  );

  app.post('/api/v1/alerts/rules', async (request, reply) => {
    const body = jsonBody(request.body);
    const id = typeof body === 'object' && body !== null && 'id' in body ? body.id : undefined;
    if (typeof id !== 'string') throw new QueryParamError(['id: is required (a name such as "gateway-reconnects")']);
    const rule = await fromStore(() => alertingOf(request).catalog.put(id, body));
    return reply.code(201).send({ rule });
  });

  app.delete<{ Params: { id: string } }>('/api/v1/alerts/rules/:id', async (request) => fromStore(() => alertingOf(request).catalog.remove(request.params.id)));

  app.get('/api/v1/silences', async (request) => fromStore(() => alertingOf(request).silences.list(request.query)));

  app.post('/api/v1/silences', async (request, reply) => {
    const silence = await fromStore(() => alertingOf(request).silences.create(jsonBody(request.body)));
    return reply.code(201).send({ silence });
  });

  app.delete<{ Params: { id: string } }>('/api/v1/silences/:id', async (request) => {
    const { id } = request.params;
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
      throw new QueryParamError([`id: "${id}" is not a silence id (a UUID from POST /api/v1/silences)`]);
    }
    return fromStore(async () => ({ silence: await alertingOf(request).silences.expire(id) }));
  });
}
