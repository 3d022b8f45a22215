import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../src/bootstrap';
import { buildCli } from '../src/cli/main';
import { loadConfig } from '../src/config/app-config';
import { lockDataDir } from '../src/database/data-dir-lock';
import { adminQuery, serverUrl } from './helpers/db-template';
import { databaseLabel, onServer, sharedData } from './helpers/test-app';

/** Runs a CLI command in this process and returns what it printed. */
async function cli(...args: string[]): Promise<string> {
  const out: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await buildCli().exitOverride().parseAsync(['node', 'cli', ...args]);
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
  return out.join('\n');
}

describe(`command line (${databaseLabel})`, () => {
  // Each command opens, migrates and closes a whole database in this process; on a loaded machine one
  // can pass the default 60 s, and a command cut off by the timeout keeps the data folder's lock, so
  // every later test of the file would fail too.
  jest.setTimeout(180_000);
  const saved = { ...process.env };
  let database: string | undefined;

  beforeAll(async () => {
    process.env.LOG_LEVEL = 'error';
    if (onServer) {
      database = `catalogue_cli_${randomBytes(5).toString('hex')}`;
      await adminQuery(`CREATE DATABASE "${database}" TEMPLATE "${process.env.CATALOGUE_TEST_TEMPLATE}"`);
      process.env.DATABASE_URL = serverUrl(database);
    } else {
      process.env.DATA_DIR = mkdtempSync(join(tmpdir(), 'catalogue-cli-'));
    }
  });
  afterAll(async () => {
    process.env = saved;
    if (database) await adminQuery(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  });

  it('creates an API key shown once, lists it without the secret, and revokes it', async () => {
    const created = await cli('api-keys', 'create', '--name', 'ci-robot', '--role', 'admin');
    const key = created.split('\n').pop()!.trim();
    expect(key).toMatch(/^icat_[A-Za-z0-9_-]{40,}$/);
    const listed = await cli('api-keys', 'list');
    expect(listed).toMatch(/ci-robot/);
    expect(listed).not.toContain(key);
    expect(listed).toMatch(/active/);
    const id = /id ([0-9a-f-]{36})/.exec(created)![1];
    expect(await cli('api-keys', 'revoke', id)).toMatch(/Revoked/);
    expect(await cli('api-keys', 'list')).toMatch(/revoked/);
  });

  it('rejects an unknown role', async () => {
    await expect(cli('api-keys', 'create', '--name', 'x', '--role', 'emperor')).rejects.toThrow(/role must be one of/);
  });

  it('gives a person an organisation role and a key of their own, so roles work without an OpenID Connect provider', async () => {
    expect(await cli('seed')).toMatch(/demo/i);
    expect(await cli('users', 'grant', '--subject', 'awa-42', '--name', 'Awa Diallo', '--email', 'awa@example.org', '--organisation', 'ASIN', '--role', 'editor')).toMatch(
      /Created user Awa Diallo .* is now editor of ASIN/,
    );
    const created = await cli('api-keys', 'create', '--name', 'awa-laptop', '--user', 'awa-42');
    expect(created).toMatch(/for user Awa Diallo/);
    const key = created.split('\n').pop()!.trim();
    expect(key).toMatch(/^icat_/);
    expect(await cli('api-keys', 'list')).toMatch(/awa-laptop .*\(user Awa Diallo\)/);
    // By e-mail too; a service account, an unknown person or --role with --user are refused.
    expect(await cli('api-keys', 'create', '--name', 'awa-phone', '--user', 'awa@example.org')).toMatch(/for user Awa Diallo/);
    await expect(cli('api-keys', 'create', '--name', 'x', '--user', 'nobody-here')).rejects.toThrow(/No user/);
    await expect(cli('api-keys', 'create', '--name', 'x', '--user', 'awa-42', '--role', 'admin')).rejects.toThrow(/not both/);
    const robot = await cli('api-keys', 'create', '--name', 'robot', '--role', 'coordinator');
    const robotId = /service account ([0-9a-f-]{36})/.exec(robot)![1];
    await expect(cli('api-keys', 'create', '--name', 'x', '--user', robotId)).rejects.toThrow(/service accounts/);

    // The key signs in as Awa, an editor of ASIN and nothing more.
    const app = await createApp(loadConfig({ ...process.env, SEED_DEMO: 'false', RATE_LIMIT_PER_MINUTE: '0' }));
    try {
      const http = request(app.getHttpServer());
      const me = await http.get('/api/v1/me').set('authorization', `ApiKey ${key}`);
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ name: 'Awa Diallo' });
      expect(JSON.stringify(me.body.memberships)).toMatch(/ASIN.*editor|editor.*ASIN/);
      const own = await http.post('/api/v1/datasets').set('authorization', `ApiKey ${key}`).send({ name: 'Brouillon d’Awa', owner: 'ASIN' });
      expect(own.status).toBe(201);
      const other = await http.post('/api/v1/datasets').set('authorization', `ApiKey ${key}`).send({ name: 'Pas à elle', owner: 'MINFIN' });
      expect(other.status).toBe(403);
    } finally {
      await app.close();
    }
  });

  const org = sharedData('uk-api-catalogue/organisation.csv');
  const apis = sharedData('uk-api-catalogue/catalogue.csv');
  (org && apis ? it : it.skip)('imports the UK files with a summary, then finds nothing to change', async () => {
    const first = await cli('import', org!, apis!, '--mapping', 'uk-api-catalogue', '--publish');
    expect(first).toMatch(/Total: 265 rows, 265 created, 0 updated, 0 unchanged, 0 failed/);
    expect(first).toMatch(/warning catalogue\.csv row \d+ \[startDate\]/);
    const second = await cli('import', org!, apis!, '--mapping', 'uk-api-catalogue');
    expect(second).toMatch(/Total: 265 rows, 0 created, 0 updated, 265 unchanged, 0 failed/);
  });

  it('says why a reindex of an unreachable Meilisearch failed, as an error with its code (not a stack trace)', async () => {
    // Found by a new-user check: the command printed a raw stack trace.
    Object.assign(process.env, { SEARCH_BACKEND: 'meilisearch', MEILI_URL: 'http://ops:pa55w0rd@127.0.0.1:1' });
    try {
      const failure = cli('search', 'reindex');
      await expect(failure).rejects.toMatchObject({ code: 'SEARCH_UNAVAILABLE', message: expect.stringMatching(/^meilisearch could not be reindexed: .*127\.0\.0\.1:1/) });
      // Found by a second check: the line repeated the password written into MEILI_URL.
      await expect(failure).rejects.toMatchObject({ message: expect.not.stringMatching(/pa55w0rd|ops:/) });
    } finally {
      delete process.env.SEARCH_BACKEND;
      delete process.env.MEILI_URL;
    }
  });

  it('names a --mapping path that is a folder or holds no JSON object, instead of taking it for a preset name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapping-'));
    const csv = join(dir, 'rows.csv');
    writeFileSync(csv, 'name\nx\n');
    await expect(cli('import', csv, '--mapping', dir, '--dry-run')).rejects.toMatchObject({ code: 'MAPPING_INVALID', message: expect.stringContaining('it is a folder') });
    const list = join(dir, 'list.json');
    writeFileSync(list, '[1,2]');
    await expect(cli('import', csv, '--mapping', list, '--dry-run')).rejects.toMatchObject({ code: 'MAPPING_INVALID', message: expect.stringContaining('does not hold a JSON object') });
  });

  it('refuses a deeply nested X-Road XML file with its error code, not a crash', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'xroad-deep-')), 'deep.xml');
    writeFileSync(file, `<ns3:conf xmlns:ns3="http://x-road.eu/xsd/xroad.xsd"><instanceIdentifier>X</instanceIdentifier>${'<a>'.repeat(20000)}${'</a>'.repeat(20000)}</ns3:conf>`);
    await expect(cli('xroad', 'import', file)).rejects.toMatchObject({ code: 'XROAD_XML_TOO_DEEP', message: expect.stringMatching(/deep\.xml nests elements/) });
  });

  (onServer ? it.skip : it)('says clearly that the embedded database is in use by another process', async () => {
    const release = await lockDataDir(process.env.DATA_DIR!);
    try {
      await expect(cli('api-keys', 'list')).rejects.toThrow(/in use by another process/);
    } finally {
      await release();
    }
  });
});
