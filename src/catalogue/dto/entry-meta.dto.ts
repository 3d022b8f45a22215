import { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ENTRY_KINDS, LIFECYCLE_STATUSES } from '../entry.entity';

/** The organisation an entry belongs to, as shown inside an entry. */
export class OrganisationRefDto {
  @ApiProperty({ example: 'IN00001' }) code: string;
  @ApiProperty() name: string;
}

/** Completeness of an entry against its kind's recommended fields. */
export class QualityDto {
  @ApiProperty({ minimum: 0, maximum: 100, description: 'Share of the recommended fields that are filled' }) score: number;
  @ApiProperty({ type: [String], description: 'Recommended fields still empty' }) missing: string[];
}

/**
 * Adds what the catalogue maintains (id, code, owner, lifecycle, version, dates) to a kind's fields:
 * the shape every kind returns. Decorated explicitly because mixins are outside the CLI plugin's reach.
 */
export function EntryMetaDto<T extends Type<object>>(Base: T) {
  class WithMeta extends Base {
    @ApiProperty({ format: 'uuid' }) id: string;
    @ApiProperty({ example: 'IS00016', description: 'Per-kind code, never reused' }) code: string;
    @ApiProperty({ enum: ENTRY_KINDS }) kind: string;
    @ApiProperty({ type: OrganisationRefDto, nullable: true, description: 'null for an unclaimed entry' }) owner: OrganisationRefDto | null;
    @ApiProperty({ enum: LIFECYCLE_STATUSES }) lifecycleStatus: string;
    @ApiProperty({ description: 'Bumped by every change; also the ETag' }) version: number;
    @ApiProperty({ format: 'date-time' }) createdAt: string;
    @ApiProperty({ format: 'date-time' }) updatedAt: string;
    @ApiPropertyOptional({ format: 'date-time', nullable: true }) publishedAt: string | null;
    @ApiPropertyOptional({ type: QualityDto, description: 'Shown to the owner organisation and coordinators only' }) quality?: QualityDto;
  }
  return WithMeta;
}

/** A page of entries of one kind. */
export function EntryPageDto<T extends Type<object>>(Item: T) {
  class Page {
    @ApiProperty({ type: Item, isArray: true }) items: object[];
    @ApiProperty() total: number;
    @ApiProperty() limit: number;
    @ApiProperty() offset: number;
  }
  return Page;
}
