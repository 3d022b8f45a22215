/**
 * npm run bench [-- --n 100000 --duration 5 --import-rows 3000 --load-only | --reuse]
 *
 * Generates N entries in a dedicated PostgreSQL database (BENCH_DATABASE_URL's server, database
 * catalogue_bench, dropped and created), starts the built server as a separate process against it,
 * and measures from this process (the load generator): search with facets in three buckets chosen by
 * hit count, list with filters, get by code and suggest, each at concurrency 1 and 16; beside them the
 * same SQL sent directly through pg (the database floor) and a bare Fastify route returning a body of
 * the same size (the HTTP floor). Also the CSV importer's rate, the bulk load rate and the server's
 * peak RSS. Writes bench/results/<date>-n<N>.md and prints it.
 */
import { ChildProcess, execSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import http from 'node:http';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { ANONYMOUS } from '../src/auth/principal';
import { CatalogueRepository } from '../src/catalogue/catalogue.repository';
import { assessQuality } from '../src/catalogue/quality';
import { sortKey } from '../src/common/text';
import { loadConfig } from '../src/config/app-config';
import { openDataSource, sessionOptions } from '../src/database/data-source';
import { ImportService } from '../src/imports/import.service';
import { resolveMapping } from '../src/imports/mapping';
import { PostgresSearchBackend } from '../src/search/postgres-search.backend';
import { generateEntry, organisationName, ukCsv } from './data';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const N = arg('n', 100_000);
const DURATION_S = arg('duration', 5);
const OWNERS = Math.max(20, Math.round(N / 250));
const IMPORT_ROWS = arg('import-rows', 3000);
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1/postgres';
const DB = 'catalogue_bench';
const dbUrl = (() => {
  const u = new URL(SERVER_URL);
  u.pathname = `/${DB}`;
  return u.toString();
})();
const PORT = 3917;
const FLOOR_PORT = 3918;
const root = join(__dirname, '..');

const log = (m: string) => console.error(`[bench] ${m}`);

async function admin(sql: string) {
  const pool = new Pool({ connectionString: SERVER_URL, max: 1 });
  try {
    await pool.query(sql);
  } finally {
    await pool.end();
  }
}

// ---------- data ----------

async function load(ds: DataSource): Promise<{ rowsPerSec: number }> {
  const orgIds: string[] = [];
  for (let i = 0; i < OWNERS; i += 500) {
    const n = Math.min(500, OWNERS - i);
    const codes = Array.from({ length: n }, (_, k) => `ORG${String(i + k).padStart(5, '0')}`);
    const names = codes.map((_, k) => organisationName(i + k));
    const rows: { id: string }[] = await ds.query(
      `INSERT INTO organisations (code, name, name_key, type) SELECT c, n, lower(n), 'agency' FROM unnest($1::text[], $2::text[]) AS t(c, n) RETURNING id`,
      [codes, names],
    );
    orgIds.push(...rows.map((r) => r.id));
  }
  const t0 = Date.now();
  const BATCH = 1000;
  for (let i = 0; i < N; i += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, N - i) }, (_, k) => generateEntry(i + k, OWNERS));
    // Completeness scores as the API computes them; without them every server start would backfill
    // (update) all N rows and the measurements would run on a table with N dead row versions.
    const quality = batch.map((e) =>
      assessQuality(e.kind, { name: e.name, description: e.description, ownerId: orgIds[e.owner], operationalStatus: e.operational, tags: e.tags, themes: e.themes, contacts: [], links: [], legalBasis: [], translations: {}, source: null, details: e.details }),
    );
    await ds.query(
      `INSERT INTO catalogue_entries (kind, code, name, name_key, description, owner_id, lifecycle_status, operational_status, tags, themes, details, published_at, quality_score, quality_missing)
       SELECT kind, CASE kind WHEN 'system' THEN 'IS' || lpad(nextval('system_code_seq')::text, 5, '0')
                              WHEN 'dataset' THEN 'DS' || lpad(nextval('dataset_code_seq')::text, 5, '0')
                              ELSE 'PS' || lpad(nextval('eservice_code_seq')::text, 5, '0') END,
              name, name_key, description, owner_id, lc, op, string_to_array(tags, '|'), string_to_array(themes, '|'), details::jsonb,
              CASE WHEN lc IN ('published', 'deprecated') THEN now() END, score, string_to_array(missing, '|')
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::int[], $12::text[])
              AS t(kind, name, name_key, description, owner_id, lc, op, tags, themes, details, score, missing)`,
      [
        batch.map((e) => e.kind),
        batch.map((e) => e.name),
        batch.map((e) => sortKey(e.name)),
        batch.map((e) => e.description),
        batch.map((e) => orgIds[e.owner]),
        batch.map((e) => e.lifecycle),
        batch.map((e) => e.operational),
        batch.map((e) => e.tags.join('|')),
        batch.map((e) => e.themes.join('|')),
        batch.map((e) => JSON.stringify(e.details)),
        quality.map((q) => q.score),
        quality.map((q) => q.missing.join('|')),
      ],
    );
    if ((i / BATCH) % 10 === 0) log(`loaded ${i + batch.length}/${N}`);
  }
  const rowsPerSec = N / ((Date.now() - t0) / 1000);
  await ds.query('VACUUM ANALYZE catalogue_entries');
  await ds.query('VACUUM ANALYZE organisations');
  await ds.query('VACUUM ANALYZE search_words');
  return { rowsPerSec };
}

/**
 * The CSV importer (per-row savepoints and lookups, through the shared write path) on a generated
 * UK-format file: the first import of a fresh process (cold: code not yet optimised by V8, plans not
 * yet cached by the session), then a second, larger one in the same process (the rate a long import
 * keeps up).
 */
async function importRate(): Promise<{ rows: number; rowsPerSec: number; steadyRows: number; steadyRowsPerSec: number }> {
  const config = { ...loadConfig({ DATABASE_URL: dbUrl, SEED_DEMO: 'false', LOG_LEVEL: 'error' }) };
  const ctx = await NestFactory.createApplicationContext(AppModule.forRoot(config, { databaseUrl: dbUrl }), { logger: ['error'] });
  try {
    const providers = Array.from({ length: 20 }, (_, i) => `ORG${String(i).padStart(5, '0')}`);
    const importOnce = async (rows: number, salt: string) => {
      const csv = ukCsv(rows, providers, salt);
      const t0 = Date.now();
      const report = await ctx.get(ImportService).run([{ filename: 'bench.csv', content: Buffer.from(csv) }], { mapping: resolveMapping('uk-api-catalogue'), publish: true, actor: 'bench' });
      const secs = (Date.now() - t0) / 1000;
      if (report.totals.created !== rows) log(`import created ${report.totals.created}/${rows} (failed ${report.totals.failed})`);
      return rows / secs;
    };
    // On a reused catalogue the rows of earlier runs are there: new names keep this a measure of creating entries.
    const salt = args.includes('--reuse') ? ` r${Date.now()}` : '';
    const rowsPerSec = await importOnce(IMPORT_ROWS, salt);
    const steadyRows = IMPORT_ROWS * 2;
    const steadyRowsPerSec = await importOnce(steadyRows, `${salt} steady`);
    return { rows: IMPORT_ROWS, rowsPerSec, steadyRows, steadyRowsPerSec };
  } finally {
    await ctx.close();
  }
}

// ---------- queries ----------

/** Captures the SQL a repository would send, without sending it. */
function capturingDataSource(captured: { sql: string; params: unknown[] }[]): DataSource {
  return {
    createQueryRunner: () => ({
      query: async (sql: string, params: unknown[]) => {
        captured.push({ sql, params });
        return { records: [] };
      },
      release: async () => undefined,
    }),
  } as unknown as DataSource;
}

interface Scenario {
  name: string;
  note: string;
  paths: string[];
  /** The statements the API runs for each path (in order), for the database floor. */
  sql: { sql: string; params: unknown[] }[][];
  /** Request headers (Cache-Control: no-cache asks the server to compute every answer afresh). */
  headers?: Record<string, string>;
}

async function hitCount(pool: Pool, q: string): Promise<number> {
  const captured: { sql: string; params: unknown[] }[] = [];
  await new PostgresSearchBackend(capturingDataSource(captured)).search({ q, filters: {}, limit: 1, offset: 0 }, ANONYMOUS).catch(() => undefined);
  const res = await pool.query(captured[0].sql, captured[0].params);
  return res.rows.find((r) => r.part === 'total')?.n ?? 0;
}

async function chooseQueries(pool: Pool): Promise<Record<'selective' | 'medium' | 'broad', { q: string; hits: number }[]>> {
  const candidates = [
    'registre', 'données', 'service', 'national', 'système', 'api', 'platform', 'companies', 'entreprises', 'véhicules', 'vehicles', 'passeports', 'passports',
    'état civil', 'civil registration', 'diplômes', 'hôpitaux', 'vaccinations', 'douanes', 'customs', 'impots fonciers', 'property tax', 'pensions', 'farmers',
    'marchés publics', 'public procurement', 'casier judiciaire', 'criminal records', 'recensement', 'census', 'permis de construire', 'building permits',
    'frontières', 'borders', 'météorologie', 'weather', 'registre entreprises', 'register companies', 'ponts', 'bridges', 'musées', 'museums', 'kanembé',
    'Manemdou', 'Bodoulé', 'Tassassou', 'registre véhicules', 'vehicule', 'compnies', 'hospitals register', 'notaires', 'lawyers', 'certificats', 'history',
    'sms notification', 'interoperabilite', 'données hébergées', 'certificates', 'weekly', 'agents habilités', 'regional offices', 'tourisme', 'archives',
  ];
  const counted: { q: string; hits: number }[] = [];
  for (const q of candidates) counted.push({ q, hits: await hitCount(pool, q) });
  counted.sort((a, b) => a.hits - b.hits);
  log(`candidate hit counts: ${counted.map((c) => `${c.q}=${c.hits}`).join(', ')}`);
  return {
    selective: counted.filter((c) => c.hits > 0 && c.hits <= 1000).slice(-8),
    medium: counted.filter((c) => c.hits > 1000 && c.hits <= 10000).slice(0, 8),
    broad: counted.filter((c) => c.hits > 10000).slice(0, 8),
  };
}

async function sqlFor(kind: 'search' | 'list' | 'get' | 'suggest', input: Record<string, unknown>): Promise<{ sql: string; params: unknown[] }[]> {
  const captured: { sql: string; params: unknown[] }[] = [];
  const ds = capturingDataSource(captured);
  if (kind === 'search') await new PostgresSearchBackend(ds).search({ q: input.q as string, filters: {}, limit: 20, offset: 0 }, ANONYMOUS).catch(() => undefined);
  if (kind === 'suggest') await new PostgresSearchBackend(ds).suggest(input.q as string, 10, ANONYMOUS);
  if (kind === 'list') {
    await new CatalogueRepository(ds)
      .list('system', { owner: input.owner as string, lifecycleStatus: 'published', operationalStatus: 'in_production' }, 'name', 20, 0, ANONYMOUS)
      .catch(() => undefined);
  }
  if (kind === 'get') await new CatalogueRepository(ds).findVisible('system', input.code as string, ANONYMOUS);
  return captured;
}

// ---------- load generation ----------

interface Measure {
  p50: number;
  p95: number;
  p99: number;
  rps: number;
  errors: number;
  bytes: number;
}

function summarise(latencies: number[], seconds: number, errors: number, bytes: number): Measure {
  const s = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN);
  return { p50: at(50), p95: at(95), p99: at(99), rps: s.length / seconds, errors, bytes: s.length ? bytes / s.length : 0 };
}

async function runLoad(concurrency: number, seconds: number, one: (i: number) => Promise<number>): Promise<Measure> {
  const latencies: number[] = [];
  let errors = 0;
  let bytes = 0;
  let i = 0;
  // Warm-up: a few requests that are not counted.
  for (let w = 0; w < Math.min(20, concurrency * 4); w++) await one(i++).catch(() => 0);
  const end = Date.now() + seconds * 1000;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const start = process.hrtime.bigint();
        try {
          bytes += await one(i++);
          latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  return summarise(latencies, elapsed, errors, bytes);
}

function httpGetter(port: number, concurrency: number, headers: Record<string, string> = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  return (path: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
        let n = 0;
        res.on('data', (c: Buffer) => (n += c.length));
        res.on('end', () => (res.statusCode && res.statusCode < 400 ? resolve(n) : reject(new Error(`HTTP ${res.statusCode} ${path}`))));
      });
      req.on('error', reject);
    });
}

function startProcess(cmd: string, argv: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(cmd, argv, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  return child;
}

async function waitFor(port: number, path: string) {
  for (let i = 0; i < 300; i++) {
    try {
      await httpGetter(port, 1)(path);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`nothing answers on ${port}${path}`);
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** A statement with its parameters written in as literals, for pgbench (the bench's own queries only: text, numbers, booleans). */
function inlined(st: { sql: string; params: unknown[] }): string {
  return st.sql.replace(/\$(\d+)/g, (_, n) => {
    const v = st.params[Number(n) - 1];
    return typeof v === 'number' || typeof v === 'boolean' ? String(v) : `'${String(v).replace(/'/g, "''")}'`;
  });
}

/**
 * The database floor without any Node.js: pgbench (PostgreSQL's own load generator) runs a scenario's
 * statements at concurrency 16, with the simple protocol (each statement parsed and planned, as the
 * server sends them) and prepared (parsed and planned once per session). Skipped without pgbench.
 */
function databaseAlone(scenario: Scenario | undefined): string {
  if (!scenario) return 'not measured (no selective queries)';
  try {
    execSync('pgbench --version', { stdio: 'ignore' });
  } catch {
    return 'not measured (pgbench is not installed)';
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-pgbench-'));
  const files = scenario.sql.map((statements, i) => {
    const file = join(dir, `q${i}.sql`);
    writeFileSync(file, statements.map((st) => inlined(st).replace(/\s+/g, ' ') + ';').join('\n') + '\n');
    return file;
  });
  const tps = (protocol: 'simple' | 'prepared') => {
    const out = execSync(`pgbench -n -M ${protocol} -c 16 -j 2 -T ${DURATION_S} ${files.map((f) => `-f ${f}`).join(' ')} '${dbUrl}'`, {
      env: { ...process.env, PGOPTIONS: sessionOptions() },
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString();
    return Math.round(Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? NaN));
  };
  const simple = tps('simple');
  const prepared = tps('prepared');
  log(`database alone (pgbench) selective c16: ${simple} tps simple, ${prepared} prepared`);
  return `${simple} statements/s with the simple protocol (parsed and planned every time, as the server sends them), ${prepared}/s prepared (goal for the API: ≥ 500 req/s)`;
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');

async function main() {
  log(`N=${N}, ${OWNERS} owners, ${DURATION_S}s per measurement, database ${DB}`);
  let loaded: { rowsPerSec: number } | undefined;
  if (args.includes('--reuse')) {
    // Measures again on the catalogue an earlier run left (after `--load-only`), migrated to the current code.
    const ds = await openDataSource({ databaseUrl: dbUrl });
    await ds.runMigrations({ transaction: 'each' });
    await ds.destroy();
  } else {
    await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await admin(`CREATE DATABASE ${DB}`);
    const ds = await openDataSource({ databaseUrl: dbUrl });
    await ds.runMigrations({ transaction: 'each' });
    loaded = await load(ds);
    log(`bulk load: ${Math.round(loaded.rowsPerSec)} rows/s`);
    await ds.destroy();
  }
  if (args.includes('--load-only')) {
    // For profiling queries by hand against the generated catalogue (psql ${DB}).
    log(`loaded; stopping here (--load-only)`);
    return;
  }
  const imported = await importRate();
  log(`CSV import: ${Math.round(imported.rowsPerSec)} rows/s first, ${Math.round(imported.steadyRowsPerSec)} rows/s after`);

  // The floor's sessions have the server's settings (work_mem), so only the API's own work differs.
  const pool = new Pool({ connectionString: dbUrl, max: 10, options: sessionOptions() });
  const buckets = await chooseQueries(pool);
  const owners: string[] = (await pool.query(`SELECT o.code FROM organisations o JOIN catalogue_entries e ON e.owner_id = o.id AND e.kind = 'system' GROUP BY o.code ORDER BY count(*) DESC LIMIT 40`)).rows.map((r) => r.code);
  const codes: string[] = (await pool.query(`SELECT code FROM catalogue_entries WHERE kind = 'system' AND lifecycle_status = 'published' ORDER BY random() LIMIT 200`)).rows.map((r) => r.code);
  const prefixes = ['reg', 'sys', 'plat', 'regis', 'IS000', 'nat', 'dat', 'serv', 'ka', 'vehic', 'pass', 'dem', 'décl', 'api', 'portail', 'nation'];

  const scenarios: Scenario[] = [];
  for (const b of ['selective', 'medium', 'broad'] as const) {
    const qs = buckets[b];
    if (!qs.length) continue;
    const search: Scenario = {
      name: `search, ${b}`,
      note: `${qs.length} queries, ${Math.min(...qs.map((q) => q.hits))}–${Math.max(...qs.map((q) => q.hits))} hits (${qs.map((q) => q.q).join(', ')}), computed afresh for every request (Cache-Control: no-cache)`,
      paths: qs.map((q) => `/api/v1/search?q=${encodeURIComponent(q.q)}`),
      sql: await Promise.all(qs.map((q) => sqlFor('search', { q: q.q }))),
      headers: { 'cache-control': 'no-cache' },
    };
    // The same requests as a browser sends them: repeated answers come from the kept answers while the catalogue is unchanged.
    scenarios.push(search, { ...search, name: `search, ${b}, kept answers`, note: 'the same requests without Cache-Control: the kept answer, after one snapshot query', headers: {} });
  }
  scenarios.push({
    name: 'list with filters',
    note: `systems?owner=…&lifecycleStatus=published&operationalStatus=in_production, ${owners.length} owners`,
    paths: owners.map((o) => `/api/v1/systems?owner=${o}&lifecycleStatus=published&operationalStatus=in_production`),
    sql: await Promise.all(owners.map((o) => sqlFor('list', { owner: o }))),
  });
  scenarios.push({ name: 'get by code', note: `${codes.length} codes`, paths: codes.map((c) => `/api/v1/systems/${c}`), sql: await Promise.all(codes.map((c) => sqlFor('get', { code: c }))) });
  const suggest: Scenario = {
    name: 'suggest',
    note: `${prefixes.join(', ')}; computed afresh for every request (Cache-Control: no-cache)`,
    paths: prefixes.map((p) => `/api/v1/search/suggest?q=${encodeURIComponent(p)}`),
    sql: await Promise.all(prefixes.map((p) => sqlFor('suggest', { q: p }))),
    headers: { 'cache-control': 'no-cache' },
  };
  scenarios.push(suggest, { ...suggest, name: 'suggest, kept answers', note: 'the same requests without Cache-Control', headers: {} });
  // Mistyped words of 5+ letters: the direct branches find nothing and the corrected-words branch runs.
  const typos = ['regsitre', 'rigistre', 'vehicuels', 'permis de constrire', 'passeprt', 'douanne', 'hopitaus', 'metorologie'];
  scenarios.push({
    name: 'suggest, typos',
    note: `${typos.join(', ')}; computed afresh for every request (Cache-Control: no-cache)`,
    paths: typos.map((p) => `/api/v1/search/suggest?q=${encodeURIComponent(p)}`),
    sql: await Promise.all(typos.map((p) => sqlFor('suggest', { q: p }))),
    headers: { 'cache-control': 'no-cache' },
  });

  // Database floor: the same statements straight through pg.
  const dbFloor: Record<string, Record<number, Measure>> = {};
  for (const s of scenarios) {
    const same = scenarios.find((o) => o.sql === s.sql && dbFloor[o.name]);
    if (same) {
      dbFloor[s.name] = dbFloor[same.name];
      continue;
    }
    dbFloor[s.name] = {};
    for (const c of [1, 16]) {
      dbFloor[s.name][c] = await runLoad(c, DURATION_S, async (i) => {
        for (const st of s.sql[i % s.sql.length]) await pool.query(st.sql, st.params);
        return 0;
      });
      log(`SQL ${s.name} c${c}: p95 ${ms(dbFloor[s.name][c].p95)} ms`);
    }
  }
  await pool.end();
  const pgbenchFloor = databaseAlone(scenarios.find((s) => s.name === 'search, selective'));

  // The server, built, in its own process.
  log('building the server');
  execSync('npx nest build', { cwd: root, stdio: 'ignore' });
  // As `npm run start:prod` runs it (package.json: V8's young generation in 4 MB semi-spaces).
  const server = startProcess('node', ['--max-semi-space-size=4', 'dist/src/main.js'], { PORT: String(PORT), DATABASE_URL: dbUrl, SEED_DEMO: 'false', LOG_LEVEL: 'error', SEARCH_BACKEND: 'postgres', RATE_LIMIT_PER_MINUTE: '0' });
  const api: Record<string, Record<number, Measure>> = {};
  let rss = 0;
  let searchBodyBytes = 0;
  try {
    await waitFor(PORT, '/health/ready');
    for (const s of scenarios) {
      api[s.name] = {};
      for (const c of [1, 16]) {
        const get = httpGetter(PORT, c, s.headers);
        api[s.name][c] = await runLoad(c, DURATION_S, (i) => get(s.paths[i % s.paths.length]));
        log(`API ${s.name} c${c}: p95 ${ms(api[s.name][c].p95)} ms, ${Math.round(api[s.name][c].rps)} req/s`);
      }
      if (s.name === 'search, medium') searchBodyBytes = api[s.name][1].bytes;
    }
    rss = peakRssMb(server.pid!);
  } finally {
    server.kill('SIGTERM');
  }

  // HTTP floor: a bare Fastify route with a fixed body of a search response's size.
  const bodySize = Math.round(searchBodyBytes || 8000);
  const floor = startProcess('node', ['-e', `
    const app = require('fastify')();
    const body = JSON.stringify({ items: 'x'.repeat(${bodySize} - 14) });
    app.get('/floor', (req, reply) => reply.type('application/json').send(body));
    app.listen({ port: ${FLOOR_PORT}, host: '127.0.0.1' });`], {});
  const httpFloor: Record<number, Measure> = {};
  try {
    await waitFor(FLOOR_PORT, '/floor');
    for (const c of [1, 16]) {
      const get = httpGetter(FLOOR_PORT, c);
      httpFloor[c] = await runLoad(c, DURATION_S, () => get('/floor'));
    }
  } finally {
    floor.kill('SIGTERM');
  }

  const goals: Record<string, string> = {
    'search, selective': 'p95 ≤ 25 ms, ≥ 500 req/s at c16',
    'search, medium': 'p95 ≤ 60 ms',
    'search, broad': 'p95 ≤ 150 ms',
    'list with filters': 'p95 ≤ 15 ms',
    'get by code': '',
    suggest: 'p95 ≤ 10 ms',
    'suggest, typos': 'p95 ≤ 10 ms',
  };
  // Kept answers answer the same requests: the same goals.
  const goalOf = (name: string) => goals[name.replace(/, kept answers$/, '')] ?? '';
  const cpu = execSync('nproc').toString().trim();
  const lines = [
    `# Benchmark: ${N.toLocaleString('en')} entries`,
    '',
    `${new Date().toISOString()} · ${cpu} cores · Node ${process.version} · PostgreSQL server (${SERVER_URL.replace(/\/\/[^@]*@/, '//')}) · server built with nest build, run as its own process; load generator and direct-SQL floor in the bench process · ${DURATION_S} s per cell after a short warm-up.`,
    `Data: ${N.toLocaleString('en')} entries (systems, datasets, e-services in equal parts; 60 % French, 40 % English text), ${OWNERS} owners, about 9 % drafts or in review (invisible to the anonymous load).`,
    '',
    '| scenario | c1 p50 / p95 / p99 (ms) | c1 req/s | c16 p50 / p95 / p99 (ms) | c16 req/s | direct SQL c1 p50 / p95 | direct SQL c16 p95, req/s | API / SQL (c1 p50) | goal |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of scenarios) {
    const a1 = api[s.name][1];
    const a16 = api[s.name][16];
    const d1 = dbFloor[s.name][1];
    const d16 = dbFloor[s.name][16];
    lines.push(
      `| ${s.name} | ${ms(a1.p50)} / ${ms(a1.p95)} / ${ms(a1.p99)} | ${Math.round(a1.rps)} | ${ms(a16.p50)} / ${ms(a16.p95)} / ${ms(a16.p99)} | ${Math.round(a16.rps)} | ${ms(d1.p50)} / ${ms(d1.p95)} | ${ms(d16.p95)}, ${Math.round(d16.rps)} | ${(a1.p50 / d1.p50).toFixed(2)} | ${goalOf(s.name)} |`,
    );
  }
  lines.push(
    `| HTTP floor (bare Fastify, ${bodySize} B body) | ${ms(httpFloor[1].p50)} / ${ms(httpFloor[1].p95)} / ${ms(httpFloor[1].p99)} | ${Math.round(httpFloor[1].rps)} | ${ms(httpFloor[16].p50)} / ${ms(httpFloor[16].p95)} / ${ms(httpFloor[16].p99)} | ${Math.round(httpFloor[16].rps)} | | | | |`,
    '',
    '| scenario | what was sent |',
    '|---|---|',
    ...scenarios.map((s) => `| ${s.name} | ${s.note} |`),
    '',
    `- Errors (non-2xx or failed requests): ${Object.values(api).flatMap((m) => Object.values(m)).reduce((a, m) => a + m.errors, 0)}`,
    `- Bulk load (multi-row INSERT of 1,000 entries per statement, search-vector trigger included): ${loaded ? `${Math.round(loaded.rowsPerSec).toLocaleString('en')} rows/s` : 'not measured (--reuse: the catalogue of an earlier run, which also holds the rows of its imports)'}`,
    `- CSV importer (uk-api-catalogue mapping, generated rows, one transaction, batches of 500 rows written through the shared write path with revisions): ${Math.round(imported.rowsPerSec).toLocaleString('en')} rows/s for the first ${imported.rows.toLocaleString('en')} rows in a fresh process, ${Math.round(imported.steadyRowsPerSec).toLocaleString('en')} rows/s for the next ${imported.steadyRows.toLocaleString('en')} (goal ≥ 5,000)`,
    `- Server peak RSS (VmHWM) during the run: ${Math.round(rss)} MB (goal ≤ 300 MB)`,
    `- The database alone (pgbench, a C client: no Node.js anywhere), the selective search statements at c16: ${pgbenchFloor}`,
  );
  const md = lines.join('\n') + '\n';
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  const file = join(__dirname, 'results', `${new Date().toISOString().slice(0, 10)}-n${N}${loaded ? '' : '-reuse'}.md`);
  writeFileSync(file, md);
  console.log(md);
  log(`wrote ${file}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
