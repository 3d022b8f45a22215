import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand (found by CI): organisation codes had two unique indexes, the exact one of the
 * Initial migration and the case-insensitive one of SearchAndCodes, which implies it. Inserts skip a
 * taken code with ON CONFLICT ((lower(code))), which only that index answers: when two concurrent
 * creates of the same code both passed its check, the second one met the exact index first and
 * failed with a unique violation (409 CONCURRENT_WRITE instead of ORGANISATION_CODE_TAKEN). Every
 * lookup reads lower(code), so the exact index served no query either.
 */
export class OneOrganisationCodeIndex1796440000000 implements MigrationInterface {
  name = 'OneOrganisationCodeIndex1796440000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "uq_organisations_code"`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE UNIQUE INDEX "uq_organisations_code" ON "organisations" ("code")`);
  }
}
