import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SingleBar, Presets } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { AppModule } from '../app.module';
import { DataSource } from 'typeorm';
import { ApiKeysService } from '../auth/api-keys.service';
import { UsersService } from '../auth/users.service';
import { buildOpenApi, createApp } from '../bootstrap';
import { DomainError } from '../common/domain-error';
import { ConfigError, loadConfig } from '../config/app-config';
import { DataDirInUseError } from '../database/data-dir-lock';
import { targetFromConfig } from '../database/data-source';
import { ImportReport, ImportService } from '../imports/import.service';
import { resolveMapping } from '../imports/mapping';
import { SeedService } from '../seed/seed.service';
import { XRoadImportService } from '../xroad/xroad-import.service';
import { CsvExportService } from '../exports/csv-export.service';
import { RdfExportService } from '../exports/rdf-export.service';
import { SearchService } from '../search/search.service';

/** Opens the application without HTTP, on the configured database; the demo is never loaded implicitly. */
/**
 * `--mapping`: a preset name, or a file holding a mapping JSON object (whose text resolveMapping then
 * reads). A folder, an unreadable file or a file that holds anything but an object is named as such,
 * never taken for a preset name.
 */
function mappingArgument(value: string): string {
  if (!existsSync(value)) return value;
  let text: string;
  try {
    text = readFileSync(value, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a folder' : `it cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
    throw DomainError.badRequest('MAPPING_INVALID', `The mapping file ${value} cannot be used: ${reason}`);
  }
  if (!text.trim().startsWith('{')) throw DomainError.badRequest('MAPPING_INVALID', `The mapping file ${value} does not hold a JSON object`);
  return text;
}

async function withContext<T>(fn: (ctx: INestApplicationContext) => Promise<T>): Promise<T> {
  const config = { ...loadConfig(), seedDemo: false, logLevel: 'error' as const };
  const ctx = await NestFactory.createApplicationContext(AppModule.forRoot(config, targetFromConfig(config)), { logger: ['error'], abortOnError: false });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

function parseDate(value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new InvalidArgumentError('not a date (e.g. 2027-12-31)');
  return d;
}

function printReport(report: ImportReport): void {
  const lines = report.tables.map(
    (t) => `  ${t.file} → ${t.table} (${t.target}): ${t.rows} rows, ${t.created} created, ${t.updated} updated, ${t.unchanged} unchanged, ${t.failed} failed, ${t.warnings} warnings`,
  );
  for (const i of report.issues) {
    // Imported text is shown verbatim, but never terminal control sequences.
    const message = i.message.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');
    console.log(`${i.status === 'failed' ? 'FAILED ' : 'warning'} ${i.file} row ${i.row}${i.column ? ` [${i.column}]` : ''}${i.field ? ` ${i.field}` : ''}: ${message}`);
  }
  const t = report.totals;
  const what = report.mapping === 'xroad' ? 'X-Road import' : `Import with mapping ${report.mapping}`;
  console.log(`\n${report.dryRun ? `Dry run of the ${what} (nothing written)` : what}:\n${lines.join('\n')}`);
  console.log(`Total: ${t.rows} rows, ${t.created} created, ${t.updated} updated, ${t.unchanged} unchanged, ${t.failed} failed, ${t.warnings} warnings`);
}

export function buildCli(): Command {
  const program = new Command('interop-catalogue').description('Command line of the interoperability catalogue').showHelpAfterError();

  program
    .command('migrate')
    .description('Run pending database migrations (the server also runs them at start)')
    .action(() => withContext(async () => console.log('Migrations are up to date.')));

  const keys = program.command('api-keys').description('Manage API keys for machine clients');
  keys
    .command('create')
    .requiredOption('--name <name>', 'who or what uses the key')
    .option('--role <role>', 'admin or coordinator (a new service account; default coordinator)')
    .option('--user <ref>', 'instead: a key for an existing person, by user id, e-mail or OpenID Connect subject (they act with their own roles)')
    .option('--expires <date>', 'expiry date', parseDate)
    .description('Create a service account with a global role and a key for it, or (--user) a key for a person; print the key once (only a hash is stored)')
    .action((o: { name: string; role?: string; user?: string; expires?: Date }) =>
      withContext(async (ctx) => {
        if (o.user && o.role) throw DomainError.badRequest('API_KEY_OPTIONS', 'Give --role (a new service account) or --user (an existing person), not both');
        const keys = ctx.get(ApiKeysService);
        const key = o.user
          ? await keys.createUserKey(await ctx.get(UsersService).findUser(ctx.get(DataSource), o.user, true), o.name, o.expires)
          : await keys.createServiceKey(o.name, o.role ?? 'coordinator', o.expires);
        const expiry = key.expiresAt ? `, expires ${key.expiresAt.toISOString()}` : '';
        console.log(
          o.user
            ? `Created API key "${key.name}" for user ${key.user.name} (${key.user.id}; key id ${key.id}${expiry}). It acts with the user's own roles.`
            : `Created API key "${key.name}" for service account ${key.user.id} (${o.role ?? 'coordinator'}, key id ${key.id}${expiry}).`,
        );
        console.log('Store it now: it is not shown again.\n');
        console.log(key.key);
      }),
    );
  keys
    .command('list')
    .description('List keys (never the secrets)')
    .action(() =>
      withContext(async (ctx) => {
        const list = await ctx.get(ApiKeysService).list(undefined);
        if (!list.length) return console.log('No API keys.');
        for (const k of list) {
          const state = k.revokedAt ? 'revoked' : k.expiresAt && k.expiresAt < new Date() ? 'expired' : 'active';
          console.log(`${k.id}  ${k.prefix}…  ${state.padEnd(8)} ${k.name}  (${k.user.kind} ${k.user.name})  last used ${k.lastUsedAt?.toISOString() ?? 'never'}`);
        }
      }),
    );
  keys
    .command('revoke <idOrPrefix>')
    .description('Revoke a key by id or prefix')
    .action((ref: string) =>
      withContext(async (ctx) => {
        const k = await ctx.get(ApiKeysService).revoke(ref);
        console.log(`Revoked API key "${k.name}" (${k.id}).`);
      }),
    );

  const users = program.command('users').description('Users and their roles');
  users
    .command('grant')
    .description('Give a user a global role (admin, coordinator, none) or, with --organisation, a role in it (viewer, editor, admin). Bootstraps the first admin.')
    .option('--subject <sub>', 'OpenID Connect subject (the user is created if they have not signed in yet)')
    .option('--email <email>', 'e-mail of a user who has signed in')
    .option('--name <name>', 'display name for a user created by --subject')
    .requiredOption('--role <role>', 'admin | coordinator | none, or viewer | editor | admin with --organisation')
    .option('--organisation <code>', 'organisation code')
    .action((o: { subject?: string; email?: string; name?: string; role: string; organisation?: string }) =>
      withContext(async (ctx) => {
        const r = await ctx.get(UsersService).grant(o);
        console.log(`${r.created ? 'Created user' : 'User'} ${r.user.name} (${r.user.id}) is now ${r.what}.`);
      }),
    );

  program
    .command('import <files...>')
    .description('Import CSV files through a mapping (a preset name or a mapping JSON file)')
    .requiredOption('--mapping <presetOrFile>', 'preset name (uk-api-catalogue) or path to a mapping JSON file')
    .option('--dry-run', 'report what would happen, write nothing', false)
    .option('--publish', 'publish created entries (the import counts as the coordinator\'s approval)', false)
    .action((files: string[], o: { mapping: string; dryRun: boolean; publish: boolean }) =>
      withContext(async (ctx) => {
        const mapping = resolveMapping(mappingArgument(o.mapping));
        const inputs = files.map((f) => {
          if (!existsSync(f)) throw new DomainError(400, 'FILE_NOT_FOUND', `No such file: ${f}`);
          return { filename: basename(f), content: readFileSync(f) };
        });
        const bar = new SingleBar({ format: '{table} [{bar}] {value}/{total} rows', stream: process.stderr, hideCursor: true }, Presets.shades_classic);
        let current = '';
        const report = await ctx.get(ImportService).run(inputs, {
          mapping,
          dryRun: o.dryRun,
          publish: o.publish,
          actor: 'cli:import',
          onProgress: (table, done, total) => {
            if (table !== current) {
              if (current) bar.stop();
              current = table;
              bar.start(total, done, { table });
            } else if (done % 25 === 0 || done === total) bar.update(done);
          },
        });
        if (current) bar.stop();
        printReport(report);
      }),
    );

  const xroad = program.command('xroad').description('X-Road metadata');
  xroad
    .command('import <files...>')
    .description('Import shared-params.xml, listClients (XML/JSON), listMethods and getOpenAPI (JSON) answers: members → organisations, subsystems → systems, services → interfaces')
    .option('--dry-run', 'report what would happen, write nothing', false)
    .option('--publish', 'publish created systems', false)
    .action((files: string[], o: { dryRun: boolean; publish: boolean }) =>
      withContext(async (ctx) => {
        const inputs = files.map((f) => {
          if (!existsSync(f)) throw new DomainError(400, 'FILE_NOT_FOUND', `No such file: ${f}`);
          return { filename: basename(f), content: readFileSync(f) };
        });
        console.error(`Importing ${inputs.length} X-Road file(s)...`);
        printReport(await ctx.get(XRoadImportService).run(inputs, { dryRun: o.dryRun, publish: o.publish, actor: 'cli:xroad-import' }));
      }),
    );

  program
    .command('export <what>')
    .description('Write an export of the published catalogue: dcat-ap, cpsv-ap, systems.csv, datasets.csv or eservices.csv')
    .option('--format <format>', 'turtle or jsonld (RDF exports)', 'turtle')
    .option('--base <url>', 'public base of entry IRIs (the API\'s /api/v1/ URL)', `http://localhost:${process.env.PORT || 3000}/api/v1/`)
    .option('--out <file>', 'output file (default: standard output)')
    .action((what: string, o: { format: string; base: string; out?: string }) =>
      withContext(async (ctx) => {
        const csv = ({ 'systems.csv': 'system', 'datasets.csv': 'dataset', 'eservices.csv': 'eservice' } as const)[what];
        let text: string;
        if (csv) text = await ctx.get(CsvExportService).export(csv);
        else if (what === 'dcat-ap' || what === 'cpsv-ap') {
          if (!['turtle', 'jsonld'].includes(o.format)) throw new DomainError(400, 'EXPORT_FORMAT', '--format must be turtle or jsonld');
          const base = o.base.endsWith('/') ? o.base : `${o.base}/`;
          const rdf = ctx.get(RdfExportService);
          const graph = what === 'dcat-ap' ? await rdf.dcatAp(base) : await rdf.cpsvAp(base);
          text = o.format === 'turtle' ? await graph.toTurtle() : JSON.stringify(await graph.toJsonLd(), null, 2);
        } else throw new DomainError(400, 'EXPORT_NOT_FOUND', `No export ${JSON.stringify(what)}: dcat-ap, cpsv-ap, systems.csv, datasets.csv or eservices.csv`);
        if (o.out) {
          writeFileSync(o.out, text);
          console.error(`Wrote ${o.out}.`);
        } else process.stdout.write(text);
      }),
    );

  const search = program.command('search').description('Search index maintenance');
  search
    .command('reindex')
    .description('Rebuild the configured search backend (SEARCH_BACKEND) from the database')
    .action(() =>
      withContext(async (ctx) => {
        const service = ctx.get(SearchService);
        const bar = new SingleBar({ format: 'reindex [{bar}] {value}/{total} entries', stream: process.stderr, hideCursor: true }, Presets.shades_classic);
        let started = false;
        const t0 = Date.now();
        const n = await service.reindex((done, total) => {
          if (!started) bar.start(total, 0);
          started = true;
          bar.update(done);
        });
        if (started) bar.stop();
        console.log(`Reindexed ${n} entries on ${service.backendName} in ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
      }),
    );

  program
    .command('seed')
    .description('Load the bundled demo catalogue into an empty database')
    .action(() =>
      withContext(async (ctx) => {
        const loaded = await ctx.get(SeedService).seedIfEmpty();
        console.log(loaded ? 'Loaded the demo catalogue.' : 'The catalogue is not empty: nothing loaded.');
      }),
    );

  program
    .command('openapi')
    .description('Write the OpenAPI document generated from the code')
    .option('--out <file>', 'output file', 'openapi/openapi.json')
    .action(async (o: { out: string }) => {
      const config = { ...loadConfig({ LOG_LEVEL: 'error', SEED_DEMO: 'false' }) };
      const app = await createApp(config, {});
      try {
        const doc = buildOpenApi(app, config);
        mkdirSync(dirname(resolve(o.out)), { recursive: true });
        writeFileSync(o.out, JSON.stringify(doc, null, 2) + '\n');
        console.log(`Wrote ${o.out} (${Object.keys(doc.paths).length} paths).`);
      } finally {
        await app.close();
      }
    });

  return program;
}

async function main() {
  await buildCli().parseAsync(process.argv);
}

if (require.main === module) {
  main().catch((err) => {
    if (err instanceof ConfigError || err instanceof DataDirInUseError) console.error(`Error: ${err.message}`);
    else if (err instanceof DomainError) console.error(`Error (${err.code}): ${err.message}${err.errors?.length ? '\n' + err.errors.map((e) => `  ${e.field}: ${e.message}`).join('\n') : ''}`);
    else console.error(err);
    process.exit(1);
  });
}

