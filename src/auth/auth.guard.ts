import { CanActivate, ExecutionContext, HttpStatus, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RateLimits } from '../common/rate-limit';
import { DomainError } from '../common/domain-error';
import type { GlobalRole } from './user.entity';
import { CREDENTIALS_STRATEGY, Authentication } from './credentials.strategy';
import { Principal, viewerOf, Viewer } from './principal';

const ROLES_KEY = 'requiredRoles';

/** The route needs a signed-in caller with one of these global roles (401 anonymous, 403 otherwise). */
export const RequireRole = (...roles: GlobalRole[]) => SetMetadata(ROLES_KEY, roles);

type AuthenticatedRequest = FastifyRequest & { user?: Authentication };

/** Authenticates every request through passport (anonymous reads allowed), then checks @RequireRole. */
@Injectable()
export class AppAuthGuard extends AuthGuard(CREDENTIALS_STRATEGY) implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: RateLimits,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // Node keeps only the first of several Authorization headers in request.headers. Which one the
    // client meant (or which a proxy or an injected header added) cannot be told, so none is checked.
    if ((request.raw.headersDistinct.authorization?.length ?? 0) > 1) {
      throw DomainError.badRequest('AUTHORIZATION_REPEATED', 'The request has more than one Authorization header: send exactly one');
    }
    if (request.headers.authorization !== undefined) {
      const wait = await this.limits.authBlockedFor(request.ip);
      if (wait > 0) {
        context.switchToHttp().getResponse<FastifyReply>().header('Retry-After', wait);
        throw new DomainError(HttpStatus.TOO_MANY_REQUESTS, 'AUTH_RATE_LIMITED', `Too many failed sign-ins from this client; retry in ${wait} s`);
      }
    }
    await super.canActivate(context);
    const auth = request.user ?? {};
    if (auth.failure) {
      await this.limits.authFailed(request.ip);
      throw new DomainError(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', auth.failure);
    }
    // Every write needs credentials, whatever it targets: anonymous writes are 401 even on entries
    // the caller could not see (404 is for signed-in callers).
    if (!auth.principal && !['GET', 'HEAD', 'OPTIONS'].includes(request.method)) {
      throw new DomainError(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', 'This operation needs credentials: Authorization: Bearer <token> or ApiKey <key>');
    }
    const roles = this.reflector.getAllAndOverride<GlobalRole[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (roles?.length) {
      if (!auth.principal) {
        throw new DomainError(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', 'This operation needs credentials: Authorization: Bearer <token> or ApiKey <key>');
      }
      if (!auth.principal.globalRole || !roles.includes(auth.principal.globalRole)) {
        throw new DomainError(HttpStatus.FORBIDDEN, 'FORBIDDEN', `This operation needs the role ${roles.join(' or ')}`);
      }
    }
    return true;
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err;
    return user;
  }
}

/** The visibility input of the current request (see Viewer). */
export const CurrentViewer = createParamDecorator((_: unknown, context: ExecutionContext): Viewer => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  return viewerOf(request.user?.principal as Principal | undefined);
});
