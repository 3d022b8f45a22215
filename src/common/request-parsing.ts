import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { DomainError } from './domain-error';
import { problem } from './problem.filter';
import { assertJsonDepth } from './validation';

/** The media types whose bodies are JSON. */
export const JSON_MEDIA_TYPES = ['application/json', 'application/merge-patch+json'];

/**
 * Replaces Fastify's JSON body parser for JSON_MEDIA_TYPES: the body must be UTF-8 (a fatal decoder,
 * not U+FFFD in place of bad bytes), not empty, nested at most MAX_JSON_DEPTH levels, then it is parsed
 * by Fastify's own parser (which refuses __proto__ and constructor keys). The body limit (413) stays.
 * Errors name the media type sent.
 */
export function registerJsonParser(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  fastify.removeContentTypeParser(JSON_MEDIA_TYPES.filter((type) => fastify.hasContentTypeParser(type)));
  // Bodies are JSON (and multipart for uploads): form and plain-text bodies would skip the checks above, so they are 415.
  for (const type of ['application/x-www-form-urlencoded', 'text/plain']) if (fastify.hasContentTypeParser(type)) fastify.removeContentTypeParser(type);
  fastify.addContentTypeParser(JSON_MEDIA_TYPES, { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    const mediaType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      return done(DomainError.badRequest('BODY_NOT_UTF8', `The ${mediaType} body is not valid UTF-8`), undefined);
    }
    if (text === '') return done(DomainError.badRequest('EMPTY_BODY', `The body is empty; content-type ${mediaType} needs a JSON document`), undefined);
    try {
      assertJsonDepth(text);
    } catch (error) {
      return done(error as Error, undefined);
    }
    parse(request, text, (error, value) => (error ? done(malformedJson(mediaType, text), undefined) : done(null, value)));
  });
}

/** Fastify's parser says only "not valid JSON" and names application/json whatever was sent. */
function malformedJson(mediaType: string, text: string): DomainError {
  let reason = 'it holds a __proto__ or constructor.prototype key';
  try {
    JSON.parse(text);
  } catch (error) {
    reason = (error as Error).message;
  }
  return DomainError.badRequest('MALFORMED_JSON', `The ${mediaType} body is not valid JSON: ${reason.slice(0, 200)}`);
}

/**
 * onRequest hook: a query string with a `%` not followed by two hex digits, or whose bytes are not
 * UTF-8, is 400 for every route (Fastify's parser would keep it as raw or replaced text).
 */
export async function rejectMalformedQueryString(request: FastifyRequest): Promise<void> {
  const start = request.url.indexOf('?');
  if (start < 0) return;
  try {
    decodeURIComponent(request.url.slice(start + 1));
  } catch {
    throw DomainError.badRequest('QUERY_STRING_MALFORMED', 'The query string is not valid percent-encoded UTF-8 (a % must be followed by two hex digits, and the bytes must be UTF-8)');
  }
}

/**
 * Errors Node's HTTP parser raises before Fastify has a request (headers too large, a malformed
 * request line, a timeout), written to the socket as application/problem+json.
 */
export function clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const body =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? problem(431, 'HEADERS_TOO_LARGE', 'The request headers are larger than the server accepts')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? problem(408, 'REQUEST_TIMEOUT', 'The request was not received in time')
        : problem(400, 'MALFORMED_REQUEST', 'The request is not valid HTTP: a request line or header the server cannot read (a URL must be percent-encoded: données is donn%C3%A9es)');
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${body.status} ${body.title}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nContent-Type: application/problem+json; charset=utf-8\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy(error);
}
