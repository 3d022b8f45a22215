import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CatalogueEntryEntity } from './entry.entity';

/** One write or transition of an entry: who, when, what changed (field-level before/after). */
@Entity({ name: 'revisions' })
@Index('ix_revisions_entry', ['entryId', 'createdAt', 'id'])
export class RevisionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => CatalogueEntryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'entry_id' })
  entry?: CatalogueEntryEntity;

  @Column({ name: 'entry_id', type: 'uuid' })
  entryId: string;

  /** Entry version this revision produced. */
  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'varchar', length: 32 })
  action: string;

  /** Actor label: api key name, user, "import", "seed". */
  @Column({ type: 'text' })
  actor: string;

  /** User or service account behind the change; null for imports and seeding. */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  /** The comment belongs to a review: shown to the owner organisation, reviewers and coordinators only. */
  @Column({ name: 'review_comment', type: 'boolean', default: false })
  reviewComment: boolean;

  /** { field: { before, after } } */
  @Column({ type: 'jsonb', default: '{}' })
  changes: Record<string, { before: unknown; after: unknown }>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
