import type { FastifyCorsOptions } from '@fastify/cors';
import type { FastifyRequest } from 'fastify';
import { DomainError } from './domain-error';

/**
 * Cross-origin use from browsers (DESIGN §6, `CORS_ORIGINS`). Preflights allow the methods the routes
 * use (no route takes PUT, so it is not offered) and the request headers a client of this API sends
 * beyond the safelisted ones: credentials, JSON and merge-patch bodies, the ETag preconditions and
 * search's Cache-Control. A browser script reads only the response headers listed in exposedHeaders:
 * the ETag to send back in If-Match, where a created resource is, whether an answer was kept, the CSV
 * export's file name, and the rate limits (src/common/rate-limit.ts, src/auth/auth.guard.ts).
 * Browsers cache a preflight for maxAge seconds (Chrome caps it at 7200, Firefox at 86400).
 */
export function corsOptions(origins: string[]): FastifyCorsOptions {
  return {
    origin: origins.includes('*') ? true : origins,
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'Cache-Control'],
    exposedHeaders: ['ETag', 'Location', 'Cache-Status', 'Content-Disposition', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After'],
    maxAge: 600,
  };
}

/**
 * onRequest hook, registered before @fastify/cors: an OPTIONS request that is not a CORS preflight (no
 * Origin or no Access-Control-Request-Method) is 400 problem+json, where the plugin would answer a
 * text/plain 400. Not 204 with Allow: the API defines no OPTIONS of its own, and an Allow true for each
 * path would need a second list of every route's methods, kept in step with the controllers.
 */
export async function refuseNonPreflightOptions(request: FastifyRequest): Promise<void> {
  if (request.method !== 'OPTIONS' || (request.headers.origin && request.headers['access-control-request-method'])) return;
  throw DomainError.badRequest('PREFLIGHT_INVALID', 'OPTIONS is answered only as a CORS preflight, which needs the Origin and Access-Control-Request-Method headers');
}
