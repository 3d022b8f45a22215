import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrganisationEntity } from '../organisations/organisation.entity';

export const GLOBAL_ROLES = ['admin', 'coordinator'] as const;
export type GlobalRole = (typeof GLOBAL_ROLES)[number];

export const ORGANISATION_ROLES = ['viewer', 'editor', 'admin'] as const;
export type OrganisationRole = (typeof ORGANISATION_ROLES)[number];

export const USER_KINDS = ['user', 'service'] as const;
export type UserKind = (typeof USER_KINDS)[number];

/**
 * A person (created by their first OpenID Connect sign-in, keyed by the token's subject) or a
 * service account (created by an admin, signs in with API keys only).
 */
@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 16, default: 'user' })
  kind: UserKind;

  /** `sub` claim of the OpenID Connect provider; null for service accounts. */
  @Index('uq_users_subject', { unique: true, where: 'subject IS NOT NULL' })
  @Column({ type: 'text', nullable: true })
  subject: string | null;

  @Column({ type: 'text' })
  name: string;

  @Index('ix_users_email')
  @Column({ type: 'text', nullable: true })
  email: string | null;

  /** Coordinator or admin of the whole catalogue; null for everyone else. */
  @Column({ name: 'global_role', type: 'varchar', length: 32, nullable: true })
  globalRole: GlobalRole | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz', nullable: true })
  lastSeenAt: Date | null;
}

/** A user's role in one organisation. */
@Entity({ name: 'memberships' })
@Index('uq_memberships_user_org', ['userId', 'organisationId'], { unique: true })
@Index('ix_memberships_org', ['organisationId'])
export class MembershipEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: OrganisationEntity;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ type: 'varchar', length: 16 })
  role: OrganisationRole;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
