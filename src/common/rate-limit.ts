import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { problem, sendProblem } from './problem.filter';

/** Window of the failed-authentication limit. */
export const AUTH_FAILURE_WINDOW_SECONDS = 15 * 60;

/**
 * Per-client limits (DESIGN §6), keyed by the client address (`request.ip`; behind a proxy set
 * TRUST_PROXY so that it is the forwarded address): every request counts against
 * RATE_LIMIT_PER_MINUTE; failed authentications count against the much smaller AUTH_FAILURE_LIMIT
 * per 15 minutes, after which requests that carry credentials get 429 until the window ends.
 * Counters live in the process (one per replica). 0 turns a limit off.
 */
@Injectable()
export class RateLimits {
  private readonly requests?: RateLimiterMemory;
  private readonly authFailures?: RateLimiterMemory;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (config.rateLimitPerMinute > 0) this.requests = new RateLimiterMemory({ points: config.rateLimitPerMinute, duration: 60 });
    if (config.authFailureLimit > 0) this.authFailures = new RateLimiterMemory({ points: config.authFailureLimit, duration: AUTH_FAILURE_WINDOW_SECONDS });
  }

  /** Fastify onRequest hook: counts the request, answers 429 problem+json over the limit. Health checks are not counted. */
  readonly onRequest = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!this.requests || request.url.startsWith('/health/')) return;
    try {
      const res = await this.requests.consume(request.ip);
      reply.header('RateLimit-Limit', this.requests.points).header('RateLimit-Remaining', res.remainingPoints).header('RateLimit-Reset', Math.ceil(res.msBeforeNext / 1000));
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      const seconds = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
      reply.header('Retry-After', seconds).header('RateLimit-Limit', this.requests.points).header('RateLimit-Remaining', 0);
      sendProblem(reply, request, problem(429, 'RATE_LIMITED', `More than ${this.requests.points} requests per minute from this client; retry in ${seconds} s`));
      return reply;
    }
  };

  /** Seconds until a client with too many failed authentications may try again, or 0. */
  async authBlockedFor(client: string): Promise<number> {
    if (!this.authFailures) return 0;
    const res = await this.authFailures.get(client);
    return res && res.consumedPoints >= this.authFailures.points ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 0;
  }

  async authFailed(client: string): Promise<void> {
    if (!this.authFailures) return;
    await this.authFailures.penalty(client, 1);
  }
}
