import { MigrationInterface, QueryRunner } from 'typeorm';

export class RelationsAndQuality1796327959201 implements MigrationInterface {
  name = 'RelationsAndQuality1796327959201';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "relations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "source_id" uuid NOT NULL, "target_id" uuid NOT NULL, "type" character varying(32) NOT NULL, "interface_id" uuid, "note" text, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_relations_not_self" CHECK (source_id <> target_id), CONSTRAINT "PK_964096eb20c2a6dd4e4bb17546f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_relations_target" ON "relations"  ("target_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_relations_link" ON "relations"  ("source_id", "type", "target_id") `);
    await queryRunner.query(`ALTER TABLE "catalogue_entries" ADD "quality_score" smallint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "catalogue_entries" ADD "quality_missing" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`CREATE INDEX "ix_entries_quality" ON "catalogue_entries"  ("kind", "quality_score") `);
    await queryRunner.query(`ALTER TABLE "relations" ADD CONSTRAINT "FK_223dd2bdd5ad862c5333041f96a" FOREIGN KEY ("source_id") REFERENCES "catalogue_entries"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "relations" ADD CONSTRAINT "FK_be9650329ec91f0bbcb80409183" FOREIGN KEY ("target_id") REFERENCES "catalogue_entries"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "relations" DROP CONSTRAINT "FK_be9650329ec91f0bbcb80409183"`);
    await queryRunner.query(`ALTER TABLE "relations" DROP CONSTRAINT "FK_223dd2bdd5ad862c5333041f96a"`);
    await queryRunner.query(`DROP INDEX "public"."ix_entries_quality"`);
    await queryRunner.query(`ALTER TABLE "catalogue_entries" DROP COLUMN "quality_missing"`);
    await queryRunner.query(`ALTER TABLE "catalogue_entries" DROP COLUMN "quality_score"`);
    await queryRunner.query(`DROP INDEX "public"."uq_relations_link"`);
    await queryRunner.query(`DROP INDEX "public"."ix_relations_target"`);
    await queryRunner.query(`DROP TABLE "relations"`);
  }
}
