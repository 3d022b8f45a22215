import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrganisationEntity } from '../organisations/organisation.entity';
import { UserEntity } from '../auth/user.entity';
import { CatalogueEntryEntity } from './entry.entity';

export const TRANSFER_STATUSES = ['pending', 'accepted', 'declined', 'cancelled'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];
/** transfer: the owner hands the entry over; claim: an organisation asks for an unclaimed entry. */
export const TRANSFER_KINDS = ['transfer', 'claim'] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

/** A request to move an entry to another owner organisation (or to give an unclaimed entry one). */
@Entity({ name: 'transfers' })
// At most one pending request per entry: concurrent requests cannot both succeed.
@Index('uq_transfers_pending_entry', ['entryId'], { unique: true, where: `status = 'pending'` })
@Index('ix_transfers_to_org', ['toOrgId', 'status'])
@Index('ix_transfers_from_org', ['fromOrgId', 'status'])
export class TransferEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => CatalogueEntryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'entry_id' })
  entry?: CatalogueEntryEntity;

  @Column({ name: 'entry_id', type: 'uuid' })
  entryId: string;

  @Column({ type: 'varchar', length: 16, default: 'transfer' })
  kind: TransferKind;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'from_org_id' })
  fromOrg?: OrganisationEntity | null;

  /** Owner when requested; null for a claim of an unclaimed entry. */
  @Column({ name: 'from_org_id', type: 'uuid', nullable: true })
  fromOrgId: string | null;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'to_org_id' })
  toOrg?: OrganisationEntity;

  @Column({ name: 'to_org_id', type: 'uuid' })
  toOrgId: string;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: TransferStatus;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'requested_by' })
  requester?: UserEntity | null;

  @Column({ name: 'requested_by', type: 'uuid', nullable: true })
  requestedBy: string | null;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'decided_by' })
  decider?: UserEntity | null;

  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy: string | null;

  @Column({ name: 'decision_comment', type: 'text', nullable: true })
  decisionComment: string | null;

  /** Bumped by every change; the ETag of the transfer. */
  @Column({ type: 'integer', default: 1 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;
}

export const REVIEW_STATUSES = ['open', 'closed'] as const;
export const REVIEW_DECISIONS = ['approve', 'request_changes', 'not_reviewed'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** One round of review: opened when an entry is submitted, closed when it is approved, sent back or withdrawn. */
@Entity({ name: 'reviews' })
@Index('uq_reviews_open_entry', ['entryId'], { unique: true, where: `status = 'open'` })
@Index('ix_reviews_status', ['status', 'deadline', 'id'])
export class ReviewEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => CatalogueEntryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'entry_id' })
  entry?: CatalogueEntryEntity;

  @Column({ name: 'entry_id', type: 'uuid' })
  entryId: string;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status: 'open' | 'closed';

  /** Organisations designated to review this entry besides the coordinators. */
  @Column({ name: 'reviewer_org_ids', type: 'uuid', array: true, default: '{}' })
  reviewerOrgIds: string[];

  /** Last day for a decision (working days after submission). */
  @Column({ type: 'date' })
  deadline: string;

  /** approved | changes_requested | withdrawn, once closed. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  outcome: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;
}

/** A reviewer's decision with its comment (visible to the owner organisation and reviewers only). */
@Entity({ name: 'review_decisions' })
@Index('ix_review_decisions_review', ['reviewId', 'createdAt', 'id'])
export class ReviewDecisionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => ReviewEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'review_id' })
  review?: ReviewEntity;

  @Column({ name: 'review_id', type: 'uuid' })
  reviewId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity | null;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  /** The reviewer organisation the decision speaks for; null for a coordinator. */
  @ManyToOne(() => OrganisationEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: OrganisationEntity | null;

  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId: string | null;

  @Column({ type: 'varchar', length: 32 })
  decision: ReviewDecision;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
