import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1796326786519 implements MigrationInterface {
  name = 'Initial1796326786519';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "api_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "prefix" character varying(16) NOT NULL, "key_hash" character varying(64) NOT NULL, "role" character varying(32) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_api_keys_hash" ON "api_keys"  ("key_hash") `);
    await queryRunner.query(`CREATE TABLE "organisations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(64) NOT NULL, "name" text NOT NULL, "name_key" text NOT NULL, "acronym" character varying(64), "type" character varying(32) NOT NULL DEFAULT 'other', "parent_id" uuid, "website" text, "email" text, "xroad_instance" character varying(255), "xroad_member_class" character varying(255), "xroad_member_code" character varying(255), "source" jsonb, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7bf54cba378d5b2f1d4c10ef4df" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_organisations_code" ON "organisations"  ("code") `);
    await queryRunner.query(`CREATE TABLE "catalogue_entries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" character varying(16) NOT NULL, "code" character varying(32) NOT NULL, "name" text NOT NULL, "name_key" text NOT NULL, "description" text NOT NULL DEFAULT '', "owner_id" uuid, "lifecycle_status" character varying(16) NOT NULL DEFAULT 'draft', "operational_status" character varying(32) NOT NULL, "tags" text array NOT NULL DEFAULT '{}', "themes" text array NOT NULL DEFAULT '{}', "contacts" jsonb NOT NULL DEFAULT '[]', "links" jsonb NOT NULL DEFAULT '[]', "legal_basis" jsonb NOT NULL DEFAULT '[]', "translations" jsonb NOT NULL DEFAULT '{}', "source" jsonb, "source_key" text, "details" jsonb NOT NULL DEFAULT '{}', "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "published_at" TIMESTAMP WITH TIME ZONE, "search_vector" tsvector, CONSTRAINT "PK_2c11e2cfb24ec84009e9e6a38bd" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_entries_code" ON "catalogue_entries"  ("code") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_entries_source_key" ON "catalogue_entries"  ("kind", "source_key") WHERE source_key IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "ix_entries_updated" ON "catalogue_entries"  ("updated_at", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_entries_owner" ON "catalogue_entries"  ("owner_id") `);
    await queryRunner.query(`CREATE INDEX "ix_entries_kind_name" ON "catalogue_entries"  ("kind", "name_key", "id") `);
    await queryRunner.query(`CREATE TABLE "revisions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "entry_id" uuid NOT NULL, "version" integer NOT NULL, "action" character varying(32) NOT NULL, "actor" text NOT NULL, "comment" text, "changes" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4aa9ee2c71c50508c3c501573c9" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_revisions_entry" ON "revisions"  ("entry_id", "created_at", "id") `);
    await queryRunner.query(`ALTER TABLE "organisations" ADD CONSTRAINT "FK_41f1cc89689b55aede50d36d0ce" FOREIGN KEY ("parent_id") REFERENCES "organisations"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "catalogue_entries" ADD CONSTRAINT "FK_2ca4140e501192ab42a9580852a" FOREIGN KEY ("owner_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "revisions" ADD CONSTRAINT "FK_b7f35f2cb5ec4bc0b9c926722bd" FOREIGN KEY ("entry_id") REFERENCES "catalogue_entries"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "revisions" DROP CONSTRAINT "FK_b7f35f2cb5ec4bc0b9c926722bd"`);
    await queryRunner.query(`ALTER TABLE "catalogue_entries" DROP CONSTRAINT "FK_2ca4140e501192ab42a9580852a"`);
    await queryRunner.query(`ALTER TABLE "organisations" DROP CONSTRAINT "FK_41f1cc89689b55aede50d36d0ce"`);
    await queryRunner.query(`DROP INDEX "public"."ix_revisions_entry"`);
    await queryRunner.query(`DROP TABLE "revisions"`);
    await queryRunner.query(`DROP INDEX "public"."ix_entries_kind_name"`);
    await queryRunner.query(`DROP INDEX "public"."ix_entries_owner"`);
    await queryRunner.query(`DROP INDEX "public"."ix_entries_updated"`);
    await queryRunner.query(`DROP INDEX "public"."uq_entries_source_key"`);
    await queryRunner.query(`DROP INDEX "public"."uq_entries_code"`);
    await queryRunner.query(`DROP TABLE "catalogue_entries"`);
    await queryRunner.query(`DROP INDEX "public"."uq_organisations_code"`);
    await queryRunner.query(`DROP TABLE "organisations"`);
    await queryRunner.query(`DROP INDEX "public"."uq_api_keys_hash"`);
    await queryRunner.query(`DROP TABLE "api_keys"`);
  }
}
