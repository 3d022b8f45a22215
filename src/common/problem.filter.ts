import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { lostToConcurrency, uniqueViolation } from '../database/sql';
import { codeOf, DomainError, FieldError } from './domain-error';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: FieldError[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * Fastify's own errors (body parsing, limits, content types) carry a code and a statusCode. Those
 * raised inside a route (multipart limits) reach the filter as they are; those raised before it (the
 * body limit, an unknown content type) reach it as a plain HttpException, so the status picks the code.
 */
interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
}

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_CONTENT_LENGTH',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'EMPTY_BODY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'NOT_MULTIPART',
  FST_REQ_FILE_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_PARTS_LIMIT: 'TOO_MANY_PARTS',
  FST_FILES_LIMIT: 'TOO_MANY_FILES',
  FST_FIELDS_LIMIT: 'TOO_MANY_FIELDS',
};

export function toProblem(exception: unknown): Problem {
  if (exception instanceof DomainError) {
    return problem(exception.status, exception.code, exception.message, exception.errors);
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? exception.message);
    const detail = Array.isArray(message) ? message.join('; ') : String(message);
    return problem(status, defaultCode(status), detail);
  }
  const fe = exception as FastifyLikeError;
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    // JSON.parse errors from the body parser arrive as a SyntaxError with statusCode 400.
    const code = (fe.code && FASTIFY_CODES[fe.code]) || (exception instanceof SyntaxError ? 'MALFORMED_JSON' : defaultCode(fe.statusCode));
    return problem(fe.statusCode, code, fe.message || TITLES[fe.statusCode] || 'Bad request');
  }
  if (lostToConcurrency(exception)) {
    return problem(HttpStatus.CONFLICT, 'CONCURRENT_WRITE', 'This request and concurrent ones kept waiting on each other and this one was stopped; nothing of it was stored, try again');
  }
  const constraint = uniqueViolation(exception);
  if (constraint === 'uq_organisations_xroad_member') {
    return problem(HttpStatus.CONFLICT, 'XROAD_MEMBER_TAKEN', 'Another organisation took this X-Road member id at the same time; an X-Road member id belongs to one organisation');
  }
  if (constraint !== undefined) {
    // A write that lost a race to a concurrent one (the code paths check first, so only a race gets here).
    return problem(HttpStatus.CONFLICT, 'CONCURRENT_WRITE', `Another request wrote the same thing at the same time${constraint ? ` (${constraint})` : ''}; read the current state and try again`);
  }
  return problem(HttpStatus.INTERNAL_SERVER_ERROR, 'INTERNAL_ERROR', 'An unexpected error occurred; it has been logged');
}

/** Where the title would give a code other than the one Fastify's error maps to (FASTIFY_CODES). */
const STATUS_CODES: Record<number, string> = { 413: 'BODY_TOO_LARGE' };

function defaultCode(status: number): string {
  return STATUS_CODES[status] ?? codeOf(TITLES[status] || 'Error');
}

export function problem(status: number, code: string, detail: string, errors?: FieldError[]): Problem {
  return {
    type: `https://interop-catalogue.example/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] || 'Error',
    status,
    detail,
    code,
    ...(errors && errors.length ? { errors } : {}),
  };
}

/** Sends an error as application/problem+json. */
export function sendProblem(reply: FastifyReply, request: FastifyRequest | undefined, body: Problem): void {
  body.instance = request?.url?.split('?')[0];
  void reply.status(body.status).header('content-type', 'application/problem+json; charset=utf-8').send(body);
}

/** The one place where errors become application/problem+json (RFC 9457). */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const body = toProblem(exception);
    if (body.status >= 500) {
      this.logger.error(`${request?.method} ${request?.url}: ${(exception as Error)?.stack ?? exception}`);
    }
    sendProblem(reply, request, body);
  }
}

/** Errors Fastify raises before a route runs (a URL that is not valid UTF-8), as problem+json too. */
export function frameworkErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  sendProblem(reply, request, toProblem(error));
}
