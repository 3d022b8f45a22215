import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CatalogueEntryEntity } from './entry.entity';

/**
 * A typed, directed link between two entries (DESIGN §4): `source type target`, e.g. a system
 * `hosts` a dataset. The other side shows the inverse name (`hostedBy`). Removing either entry
 * removes its relations.
 */
@Entity({ name: 'relations' })
@Index('uq_relations_link', ['sourceId', 'type', 'targetId'], { unique: true })
@Index('ix_relations_target', ['targetId'])
@Check('ck_relations_not_self', 'source_id <> target_id')
export class RelationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => CatalogueEntryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'source_id' })
  source?: CatalogueEntryEntity;

  @Column({ name: 'source_id', type: 'uuid' })
  sourceId: string;

  @ManyToOne(() => CatalogueEntryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'target_id' })
  target?: CatalogueEntryEntity;

  @Column({ name: 'target_id', type: 'uuid' })
  targetId: string;

  /** provides | uses | hosts | dependsOn | partOf | realises (the forward name). */
  @Column({ type: 'varchar', length: 32 })
  type: string;

  /** Id of the interface (an item of the system's `interfaces`) the link goes through. */
  @Column({ name: 'interface_id', type: 'uuid', nullable: true })
  interfaceId: string | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
