import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { ApiKeysService } from '../../src/auth/api-keys.service';
import { createApp } from '../../src/bootstrap';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { DataSourceTarget } from '../../src/database/data-source';
import { adminQuery, serverUrl } from './db-template';

export const onServer = !!process.env.DATABASE_URL;
export const databaseLabel = onServer ? 'PostgreSQL server' : 'embedded PGlite';

export interface TestApp {
  app: NestFastifyApplication;
  http: TestAgent;
  dataSource: DataSource;
  /** `Authorization` header value of a global admin key. */
  admin: string;
  config: AppConfig;
  close(): Promise<void>;
}

/**
 * A fresh application on a fresh database: an in-memory PGlite, or (with DATABASE_URL) a clone of the
 * migrated template. `seed: true` loads the demo catalogue. `listen: true` serves it on a port, for
 * concurrent requests (supertest on an unbound server opens a listener per request, which they break).
 */
export async function startTestApp(options: { seed?: boolean; env?: NodeJS.ProcessEnv; listen?: boolean } = {}): Promise<TestApp> {
  let target: DataSourceTarget = {};
  let dropDatabase: string | undefined;
  if (onServer) {
    const name = `catalogue_test_${randomBytes(6).toString('hex')}`;
    await adminQuery(`CREATE DATABASE "${name}" TEMPLATE "${process.env.CATALOGUE_TEST_TEMPLATE}"`);
    target = { databaseUrl: serverUrl(name) };
    dropDatabase = name;
  }
  // Limits off unless a test sets them: the suite sends thousands of requests from one address. No
  // vocabulary sweeps on a timer either: tests sweep when they mean to (vocabulary-sweeper.e2e-spec).
  const config = loadConfig({ LOG_LEVEL: 'error', SEED_DEMO: options.seed ? 'true' : 'false', RATE_LIMIT_PER_MINUTE: '0', AUTH_FAILURE_LIMIT: '0', VOCABULARY_SWEEP_SECONDS: '0', ...options.env });
  config.databaseUrl = target.databaseUrl;
  // Any 5xx is a bug (503 SEARCH_UNAVAILABLE is the documented answer while Meilisearch is down):
  // closing the app fails the test file that caused one.
  const serverErrors: string[] = [];
  const app = await createApp(config, target, {
    onResponse: (status, method, url) => {
      if (status >= 500 && status !== 503) serverErrors.push(`${method} ${url.slice(0, 200)} → ${status}`);
    },
  });
  const dataSource = app.get(DataSource);
  const key = await app.get(ApiKeysService).createServiceKey('test-admin', 'admin');
  if (options.listen) await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    http: request(options.listen ? await app.getUrl() : app.getHttpServer()),
    dataSource,
    admin: `ApiKey ${key.key}`,
    config,
    async close() {
      await app.close();
      if (dropDatabase) await adminQuery(`DROP DATABASE IF EXISTS "${dropDatabase}" WITH (FORCE)`);
      if (serverErrors.length) throw new Error(`the app answered ${serverErrors.length} request(s) with a 5xx:\n${serverErrors.join('\n')}`);
    },
  };
}

/** Real inputs in ../shared/data; tests that read them skip with a message when they are absent. */
export function sharedData(path: string): string | undefined {
  const { existsSync } = require('node:fs') as typeof import('node:fs');
  const { resolve } = require('node:path') as typeof import('node:path');
  const full = resolve(__dirname, '../../../shared/data', path);
  if (existsSync(full)) return full;
  console.warn(`skipping: ${full} is absent (../shared is not beside the project)`);
  return undefined;
}
