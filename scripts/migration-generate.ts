/**
 * Generates a migration from the difference between the entities and the schema that the committed
 * migrations produce, the way `typeorm migration:generate` does, on a scratch PostgreSQL database.
 *
 *   DATABASE_URL=postgres://root@127.0.0.1/scratch npm run migration:generate -- <Name>
 *
 * Read the file it writes, then add the class to migrations/index.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDataSource } from '../src/database/data-source';

async function main() {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) throw new Error('usage: migration:generate <PascalCaseName>');
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL must point at a scratch PostgreSQL database');
  const ds = await openDataSource({ databaseUrl: process.env.DATABASE_URL });
  try {
    await ds.runMigrations();
    const sql = await ds.driver.createSchemaBuilder().log();
    if (sql.upQueries.length === 0) {
      console.log('No changes: the entities and the migrations agree.');
      return;
    }
    const ts = Date.now();
    const q = (s: string) => '`' + s.replace(/`/g, '\\`') + '`';
    const up = sql.upQueries.map((x) => `    await queryRunner.query(${q(x.query)});`).join('\n');
    const down = sql.downQueries.reverse().map((x) => `    await queryRunner.query(${q(x.query)});`).join('\n');
    const file = join(__dirname, '..', 'migrations', `${ts}-${name}.ts`);
    writeFileSync(
      file,
      `import { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${name}${ts} implements MigrationInterface {\n  name = '${name}${ts}';\n\n  public async up(queryRunner: QueryRunner): Promise<void> {\n${up}\n  }\n\n  public async down(queryRunner: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`,
    );
    console.log(`Wrote ${file}\nAdd ${name}${ts} to migrations/index.ts`);
  } finally {
    await ds.destroy();
  }
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
