import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Written by hand (found by a new-user check): one organisation per X-Road member id (instance,
 * member class, member code). X-Road imports match organisations on it, and two holders made the
 * match arbitrary; the API and CSV imports now refuse a second holder (409 XROAD_MEMBER_TAKEN), and
 * this index makes that hold under concurrent writes. A catalogue that already has two holders stops
 * here with their codes, to be resolved by hand in SQL (the server does not start until the
 * migrations have run), rather than have this migration choose which one loses its id.
 */
export class UniqueXRoadMember1796430000000 implements MigrationInterface {
  name = 'UniqueXRoadMember1796430000000';

  public async up(q: QueryRunner): Promise<void> {
    const shared: { member: string; codes: string }[] = await q.query(
      `SELECT concat_ws('/', xroad_instance, xroad_member_class, xroad_member_code) AS member, string_agg(code, ', ' ORDER BY code) AS codes
         FROM organisations WHERE xroad_instance IS NOT NULL
        GROUP BY xroad_instance, xroad_member_class, xroad_member_code HAVING count(*) > 1`,
    );
    if (shared.length) {
      throw new Error(
        `Organisations share X-Road member ids (${shared.map((s) => `${s.member}: ${s.codes}`).join('; ')}): keep the id on one of each and clear it on the others (UPDATE organisations SET xroad_instance = NULL, xroad_member_class = NULL, xroad_member_code = NULL WHERE code = '…'), then start again`,
      );
    }
    await q.query(
      `CREATE UNIQUE INDEX uq_organisations_xroad_member ON organisations (xroad_instance, xroad_member_class, xroad_member_code) WHERE xroad_instance IS NOT NULL`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX uq_organisations_xroad_member`);
  }
}
