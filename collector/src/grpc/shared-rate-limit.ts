import type { FastifyInstance, FastifyRequest } from 'fastify';
import type {} from '@fastify/rate-limit';
import type { Principal } from '../auth/principal.js';
import { rateLimitRefusal } from '../http/rate-limit-refusal.js';

/** Counts one call against its caller's budget; throws TooManyAttemptsError once the budget is spent. */
export type RateLimitCheck = (principal: Principal, peer: string) => Promise<void>;

/**
 * The HTTP server's per-key rate limit (COLLECTOR_RATE_LIMIT_PER_MINUTE),
 * for calls that do not come through Fastify: they draw on the very same
 * counters, so a key's budget is one whatever transport it uses. Undefined
 * when the limit is off.
 */
export function sharedRateLimit(app: FastifyInstance): RateLimitCheck | undefined {
  if (!app.hasDecorator('createRateLimit')) return undefined;
  const limiter = app.createRateLimit();
  return async (principal, peer) => {
    // The limiter reads only these of a request: the principal (key generator, allow list), the address and the route's group.
    const request = { principal, ip: peer, routeOptions: { config: {} } } as unknown as FastifyRequest;
    const result = await limiter(request);
    if (!result.isAllowed && result.isExceeded) throw rateLimitRefusal(result.max, result.ttlInSeconds);
  };
}
