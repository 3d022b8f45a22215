import multipart from '@fastify/multipart';
import { LogLevel as NestLogLevel, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { AppConfig, LogLevel } from './config/app-config';
import { corsOptions, refuseNonPreflightOptions } from './common/cors';
import { frameworkErrorHandler, ProblemFilter } from './common/problem.filter';
import { UPLOAD_LIMITS } from './common/multipart';
import { validationPipe } from './common/validation';
import { RateLimits } from './common/rate-limit';
import { clientErrorHandler, registerJsonParser, rejectMalformedQueryString } from './common/request-parsing';
import { DataSourceTarget, targetFromConfig } from './database/data-source';

const NEST_LEVELS: Record<LogLevel, NestLogLevel[] | false> = {
  silent: false,
  fatal: ['fatal'],
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  trace: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

export function buildOpenApi(app: NestFastifyApplication, config: Pick<AppConfig, 'catalogueTitle'>): OpenAPIObject {
  const doc = new DocumentBuilder()
    .setTitle('interop-catalogue API')
    .setDescription(
      `${config.catalogueTitle}: the public catalogue of a government's information systems, datasets and registers, and e-services. ` +
        'Reads are public (published entries); signed-in callers see more and may write by their roles. ' +
        'Sign in with `Authorization: Bearer <token>` from the OpenID Connect provider, or `Authorization: ApiKey <key>`. ' +
        'Errors are application/problem+json.',
    )
    .setVersion('1')
    .addSecurity('bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'ID or access token of the OpenID Connect provider' })
    .addSecurity('apiKey', { type: 'apiKey', in: 'header', name: 'Authorization', description: 'ApiKey <key>' })
    .build();
  return SwaggerModule.createDocument(app, doc, { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` });
}

/** Builds the application (used by main, tests, the OpenAPI script). */
export interface CreateAppOptions {
  /** Called after every response (tests use it to catch any 5xx). */
  onResponse?: (statusCode: number, method: string, url: string) => void;
}

export async function createApp(config: AppConfig, target: DataSourceTarget = targetFromConfig(config), options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    routerOptions: { maxParamLength: 500 },
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, target), adapter, {
    logger: NEST_LEVELS[config.logLevel],
    abortOnError: false,
  });
  // All three before the CORS plugin's own hook, which enableCors registers later; the rate limit first,
  // so that the two refusals after it carry the RateLimit headers too (README: every answer does).
  adapter.getInstance().addHook('onRequest', app.get(RateLimits).onRequest);
  adapter.getInstance().addHook('onRequest', rejectMalformedQueryString);
  adapter.getInstance().addHook('onRequest', refuseNonPreflightOptions);
  const observe = options.onResponse;
  if (observe) adapter.getInstance().addHook('onResponse', async (request, reply) => observe(reply.statusCode, request.method, request.url));
  await app.register(multipart, { limits: { fileSize: config.bodyLimit, ...UPLOAD_LIMITS } });
  app.setGlobalPrefix('api/v1', { exclude: [{ path: 'health/{*rest}', method: RequestMethod.ALL }] });
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ProblemFilter());
  app.enableCors(corsOptions(config.corsOrigins));
  app.enableShutdownHooks();
  const document = buildOpenApi(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'api/openapi.json', customSiteTitle: `${config.catalogueTitle} API` });
  // The root: a browser goes to the API documentation; a client (there and at the API's base) gets where everything is.
  const links = { title: config.catalogueTitle, api: '/api/v1', docs: '/docs', openapi: '/api/openapi.json', health: '/health/ready' };
  adapter.getInstance().get('/', async (request, reply) => (/\btext\/html\b/.test(request.headers.accept ?? '') ? reply.redirect('/docs', 302) : reply.send(links)));
  adapter.getInstance().get('/api/v1', async (_request, reply) => reply.send(links));
  // The documentation's page loads its assets relative to /docs: from /docs/ they were not found (a blank page).
  adapter.getInstance().addHook('onRequest', async (request, reply) => {
    if (request.url === '/docs/' || request.url.startsWith('/docs/?')) return reply.redirect(`/docs${request.url.slice(6)}`, 301);
  });
  await app.init();
  // After init, which registers Nest's own application/json parser: this one replaces it.
  registerJsonParser(adapter.getInstance());
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

