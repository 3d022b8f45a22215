import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const ORGANISATION_TYPES = ['ministry', 'agency', 'local_government', 'public_company', 'other'] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

@Entity({ name: 'organisations' })
// Case-insensitive uniqueness of codes (SearchAndCodes migration): the one unique index on the code,
// the one inserts name in ON CONFLICT (OneOrganisationCodeIndex migration).
@Index('uq_organisations_code_lower', { synchronize: false })
// One organisation per X-Road member id (UniqueXRoadMember migration).
@Index('uq_organisations_xroad_member', { synchronize: false })
export class OrganisationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Stable public code: given (e.g. from an import) or generated as IN00001. */
  @Column({ type: 'varchar', length: 64 })
  code: string;

  @Column({ type: 'text' })
  name: string;

  /** Sort key: lower-cased, accents removed (both databases use C collation). */
  @Column({ name: 'name_key', type: 'text' })
  nameKey: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  acronym: string | null;

  @Column({ type: 'varchar', length: 32, default: 'other' })
  type: OrganisationType;

  @ManyToOne(() => OrganisationEntity, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'parent_id' })
  parent: OrganisationEntity | null;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId: string | null;

  @Column({ type: 'text', nullable: true })
  website: string | null;

  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Column({ name: 'xroad_instance', type: 'varchar', length: 255, nullable: true })
  xroadInstance: string | null;

  @Column({ name: 'xroad_member_class', type: 'varchar', length: 255, nullable: true })
  xroadMemberClass: string | null;

  @Column({ name: 'xroad_member_code', type: 'varchar', length: 255, nullable: true })
  xroadMemberCode: string | null;

  /** Where an import took it from (format, external id, url). */
  @Column({ type: 'jsonb', nullable: true })
  source: Record<string, unknown> | null;

  @Column({ type: 'integer', default: 1 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
