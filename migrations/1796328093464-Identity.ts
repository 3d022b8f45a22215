import { MigrationInterface, QueryRunner } from 'typeorm';

export class Identity1796328093464 implements MigrationInterface {
  name = 'Identity1796328093464';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" character varying(16) NOT NULL DEFAULT 'user', "subject" text, "name" text NOT NULL, "email" text, "global_role" character varying(32), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_seen_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_subject" ON "users"  ("subject") WHERE subject IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "ix_users_email" ON "users"  ("email") `);
    await queryRunner.query(`CREATE TABLE "memberships" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "role" character varying(16) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_25d28bd932097a9e90495ede7b4" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_memberships_org" ON "memberships"  ("organisation_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_memberships_user_org" ON "memberships"  ("user_id", "organisation_id") `);
    await queryRunner.query(`CREATE TABLE "transfers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "entry_id" uuid NOT NULL, "kind" character varying(16) NOT NULL DEFAULT 'transfer', "from_org_id" uuid, "to_org_id" uuid NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'pending', "requested_by" uuid, "comment" text, "decided_by" uuid, "decision_comment" text, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "decided_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_f712e908b465e0085b4408cabc3" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_transfers_from_org" ON "transfers"  ("from_org_id", "status") `);
    await queryRunner.query(`CREATE INDEX "ix_transfers_to_org" ON "transfers"  ("to_org_id", "status") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_transfers_pending_entry" ON "transfers"  ("entry_id") WHERE status = 'pending'`);
    await queryRunner.query(`CREATE TABLE "reviews" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "entry_id" uuid NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'open', "reviewer_org_ids" uuid array NOT NULL DEFAULT '{}', "deadline" date NOT NULL, "outcome" character varying(32), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_231ae565c273ee700b283f15c1d" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_reviews_status" ON "reviews"  ("status", "deadline", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_reviews_open_entry" ON "reviews"  ("entry_id") WHERE status = 'open'`);
    await queryRunner.query(`CREATE TABLE "review_decisions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "review_id" uuid NOT NULL, "user_id" uuid, "organisation_id" uuid, "decision" character varying(32) NOT NULL, "comment" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1fb0883c5b1ef83c015f2ab3b24" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_review_decisions_review" ON "review_decisions"  ("review_id", "created_at", "id") `);
    await queryRunner.query(`ALTER TABLE "revisions" ADD "actor_id" uuid`);
    await queryRunner.query(`ALTER TABLE "revisions" ADD "review_comment" boolean NOT NULL DEFAULT false`);
    // Edited by hand: keys existing before users become service accounts with the key's global role
    // (the service account takes the key's id), then the key points at it.
    await queryRunner.query(`ALTER TABLE "api_keys" ADD "user_id" uuid`);
    await queryRunner.query(`INSERT INTO "users" ("id", "kind", "name", "global_role") SELECT "id", 'service', "name", "role" FROM "api_keys"`);
    await queryRunner.query(`UPDATE "api_keys" SET "user_id" = "id"`);
    await queryRunner.query(`ALTER TABLE "api_keys" ALTER COLUMN "user_id" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "role"`);
    await queryRunner.query(`CREATE INDEX "ix_api_keys_user" ON "api_keys"  ("user_id") `);
    await queryRunner.query(`ALTER TABLE "memberships" ADD CONSTRAINT "FK_7c1e2fdfed4f6838e0c05ae5051" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "memberships" ADD CONSTRAINT "FK_55c59139e9136eb9a76ed30c6dc" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "api_keys" ADD CONSTRAINT "FK_a3baee01d8408cd3c0f89a9a973" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "transfers" ADD CONSTRAINT "FK_a6a05cd74eacc15e500df53a825" FOREIGN KEY ("entry_id") REFERENCES "catalogue_entries"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "transfers" ADD CONSTRAINT "FK_63cf6b828c93a1e96927f743f63" FOREIGN KEY ("from_org_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "transfers" ADD CONSTRAINT "FK_460ccb480415417e6d151fe1e90" FOREIGN KEY ("to_org_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "transfers" ADD CONSTRAINT "FK_8ca44548e1b51e06dd28b389250" FOREIGN KEY ("requested_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "transfers" ADD CONSTRAINT "FK_f9fcf9c2d169d6e5dbf92bdea8b" FOREIGN KEY ("decided_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "reviews" ADD CONSTRAINT "FK_4f2ce9ba4fbcc02303bf7dbd6c7" FOREIGN KEY ("entry_id") REFERENCES "catalogue_entries"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "review_decisions" ADD CONSTRAINT "FK_23ac4263bf88a7ac68f5d255b92" FOREIGN KEY ("review_id") REFERENCES "reviews"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "review_decisions" ADD CONSTRAINT "FK_dc09f39c472925120784bb26bd7" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "review_decisions" ADD CONSTRAINT "FK_c28f7a13071e1852f9fd32605f1" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "review_decisions" DROP CONSTRAINT "FK_c28f7a13071e1852f9fd32605f1"`);
    await queryRunner.query(`ALTER TABLE "review_decisions" DROP CONSTRAINT "FK_dc09f39c472925120784bb26bd7"`);
    await queryRunner.query(`ALTER TABLE "review_decisions" DROP CONSTRAINT "FK_23ac4263bf88a7ac68f5d255b92"`);
    await queryRunner.query(`ALTER TABLE "reviews" DROP CONSTRAINT "FK_4f2ce9ba4fbcc02303bf7dbd6c7"`);
    await queryRunner.query(`ALTER TABLE "transfers" DROP CONSTRAINT "FK_f9fcf9c2d169d6e5dbf92bdea8b"`);
    await queryRunner.query(`ALTER TABLE "transfers" DROP CONSTRAINT "FK_8ca44548e1b51e06dd28b389250"`);
    await queryRunner.query(`ALTER TABLE "transfers" DROP CONSTRAINT "FK_460ccb480415417e6d151fe1e90"`);
    await queryRunner.query(`ALTER TABLE "transfers" DROP CONSTRAINT "FK_63cf6b828c93a1e96927f743f63"`);
    await queryRunner.query(`ALTER TABLE "transfers" DROP CONSTRAINT "FK_a6a05cd74eacc15e500df53a825"`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP CONSTRAINT "FK_a3baee01d8408cd3c0f89a9a973"`);
    await queryRunner.query(`ALTER TABLE "memberships" DROP CONSTRAINT "FK_55c59139e9136eb9a76ed30c6dc"`);
    await queryRunner.query(`ALTER TABLE "memberships" DROP CONSTRAINT "FK_7c1e2fdfed4f6838e0c05ae5051"`);
    await queryRunner.query(`DROP INDEX "public"."ix_api_keys_user"`);
    await queryRunner.query(`ALTER TABLE "api_keys" ADD "role" character varying(32)`);
    await queryRunner.query(`UPDATE "api_keys" k SET "role" = coalesce(u."global_role", 'coordinator') FROM "users" u WHERE u."id" = k."user_id"`);
    await queryRunner.query(`DELETE FROM "api_keys" WHERE "role" IS NULL`);
    await queryRunner.query(`ALTER TABLE "api_keys" ALTER COLUMN "role" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "user_id"`);
    await queryRunner.query(`ALTER TABLE "revisions" DROP COLUMN "review_comment"`);
    await queryRunner.query(`ALTER TABLE "revisions" DROP COLUMN "actor_id"`);
    await queryRunner.query(`DROP INDEX "public"."ix_review_decisions_review"`);
    await queryRunner.query(`DROP TABLE "review_decisions"`);
    await queryRunner.query(`DROP INDEX "public"."uq_reviews_open_entry"`);
    await queryRunner.query(`DROP INDEX "public"."ix_reviews_status"`);
    await queryRunner.query(`DROP TABLE "reviews"`);
    await queryRunner.query(`DROP INDEX "public"."uq_transfers_pending_entry"`);
    await queryRunner.query(`DROP INDEX "public"."ix_transfers_to_org"`);
    await queryRunner.query(`DROP INDEX "public"."ix_transfers_from_org"`);
    await queryRunner.query(`DROP TABLE "transfers"`);
    await queryRunner.query(`DROP INDEX "public"."uq_memberships_user_org"`);
    await queryRunner.query(`DROP INDEX "public"."ix_memberships_org"`);
    await queryRunner.query(`DROP TABLE "memberships"`);
    await queryRunner.query(`DROP INDEX "public"."ix_users_email"`);
    await queryRunner.query(`DROP INDEX "public"."uq_users_subject"`);
    await queryRunner.query(`DROP TABLE "users"`);
  }
}
