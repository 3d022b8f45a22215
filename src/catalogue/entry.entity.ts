import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { OrganisationEntity } from '../organisations/organisation.entity';

export const ENTRY_KINDS = ['system', 'dataset', 'eservice'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export const LIFECYCLE_STATUSES = ['draft', 'in_review', 'published', 'deprecated', 'retired'] as const;
export type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];

/** Lifecycle states anyone may see (DESIGN §5). */
export const PUBLIC_LIFECYCLE_STATUSES: LifecycleStatus[] = ['published', 'deprecated', 'retired'];

/**
 * One catalogue entry of any kind. The columns are what the three kinds share (DESIGN §4);
 * kind-specific fields live in `details`, validated by the kind's DTOs before they are stored.
 */
@Entity({ name: 'catalogue_entries' })
@Index('ix_entries_kind_name', ['kind', 'nameKey', 'id'])
// Owner-filtered lists: the page and the total from one index (ListAndSuggestIndexes migration).
@Index('ix_entries_owner_list', ['ownerId', 'kind', 'lifecycleStatus', 'operationalStatus', 'nameKey', 'id'])
@Index('ix_entries_updated', ['updatedAt', 'id'])
@Index('ix_entries_quality', ['kind', 'qualityScore'])
// Created by the SearchAndCodes, SearchRelevance and NameVector migrations (indexes TypeORM cannot describe).
@Index('ix_entries_search_vector', { synchronize: false })
@Index('ix_entries_name_vector', { synchronize: false })
@Index('ix_entries_name_trgm', { synchronize: false })
@Index('ix_entries_tags', { synchronize: false })
@Index('ix_entries_themes', { synchronize: false })
@Index('ix_entries_name_key_prefix', { synchronize: false })
@Index('ix_entries_code_prefix', { synchronize: false })
@Index('uq_entries_source_key', ['kind', 'sourceKey'], { unique: true, where: 'source_key IS NOT NULL' })
export class CatalogueEntryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 16 })
  kind: EntryKind;

  /** IS00001 / DS00001 / PS00001, from a per-kind sequence, never reused. */
  @Index('uq_entries_code', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'name_key', type: 'text' })
  nameKey: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @ManyToOne(() => OrganisationEntity, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'owner_id' })
  owner: OrganisationEntity | null;

  @Column({ name: 'owner_id', type: 'uuid', nullable: true })
  ownerId: string | null;

  @Column({ name: 'lifecycle_status', type: 'varchar', length: 16, default: 'draft' })
  lifecycleStatus: LifecycleStatus;

  @Column({ name: 'operational_status', type: 'varchar', length: 32 })
  operationalStatus: string;

  @Column({ type: 'text', array: true, default: '{}' })
  tags: string[];

  @Column({ type: 'text', array: true, default: '{}' })
  themes: string[];

  @Column({ type: 'jsonb', default: '[]' })
  contacts: unknown[];

  @Column({ type: 'jsonb', default: '[]' })
  links: unknown[];

  @Column({ name: 'legal_basis', type: 'jsonb', default: '[]' })
  legalBasis: unknown[];

  @Column({ type: 'jsonb', default: '{}' })
  translations: Record<string, unknown>;

  /** Where an import took it from: { format, externalId, url }. */
  @Column({ type: 'jsonb', nullable: true })
  source: Record<string, unknown> | null;

  /** Key an import matches rows on (per kind), e.g. "uk-api-catalogue:companies-house/search api". */
  @Column({ name: 'source_key', type: 'text', nullable: true })
  sourceKey: string | null;

  /** Kind-specific fields (interfaces, distributions, channels...). */
  @Column({ type: 'jsonb', default: '{}' })
  details: Record<string, unknown>;

  /** Bumped by every change; the ETag. Checked in the UPDATE itself (no separate read). */
  @Column({ type: 'integer', default: 1 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  /** Completeness 0–100: share of the kind's recommended fields that are filled (see quality.ts). */
  @Column({ name: 'quality_score', type: 'smallint', default: 0 })
  qualityScore: number;

  /** Recommended fields still empty, written with the entry. */
  @Column({ name: 'quality_missing', type: 'text', array: true, default: '{}' })
  qualityMissing: string[];

  /** Maintained by a trigger (migrations); never written by the application. */
  @Column({ name: 'search_vector', type: 'tsvector', nullable: true, select: false, insert: false, update: false })
  searchVector: string | null;

  /** The names-and-codes part of the search vector (weight A), for suggest; kept by the same trigger (NameVector migration). */
  @Column({ name: 'name_vector', type: 'tsvector', nullable: true, select: false, insert: false, update: false })
  nameVector: string | null;
}
