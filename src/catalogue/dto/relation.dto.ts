import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ENTRY_KINDS } from '../entry.entity';
import { RELATION_NAMES } from '../relation-types';
import { QueryInt } from '../../common/query-params';

/** A new relation from the entry in the URL to another entry. */
export class CreateRelationDto {
  /**
   * Relation name as seen from this entry: provides, uses, hosts, dependsOn, partOf, realises, or an
   * inverse (providedBy, usedBy, hostedBy, dependencyOf, hasPart, realisedBy: this entry is then the target).
   */
  @IsIn(RELATION_NAMES)
  type: string;

  /** The other entry: its code (DS00003) or uuid. */
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  entry: string;

  /** Id of the interface (of the system's `interfaces`) the link goes through. */
  @IsOptional()
  @IsUUID()
  interfaceId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class RelatedEntryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() code: string;
  @ApiProperty({ enum: ENTRY_KINDS }) kind: string;
  @ApiProperty() name: string;
  @ApiProperty() lifecycleStatus: string;
}

export class RelationInterfaceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiPropertyOptional({ nullable: true }) name: string | null;
}

/** A relation as seen from one of its two entries. */
export class RelationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Name as seen from this entry (forward when it is the source, inverse when it is the target)' }) type: string;
  @ApiProperty({ enum: ['outgoing', 'incoming'] }) direction: string;
  @ApiProperty({ type: RelatedEntryDto, description: 'The entry at the other end' }) entry: RelatedEntryDto;
  @ApiProperty({ type: RelatedEntryDto }) source: RelatedEntryDto;
  @ApiProperty({ description: 'Forward name (source → target)' }) relation: string;
  @ApiProperty({ type: RelatedEntryDto }) target: RelatedEntryDto;
  @ApiPropertyOptional({ type: RelationInterfaceDto, nullable: true }) interface: RelationInterfaceDto | null;
  @ApiPropertyOptional({ nullable: true }) note: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class RelationListDto {
  @ApiProperty({ type: RelationDto, isArray: true }) items: RelationDto[];
  @ApiProperty({ description: 'Relations to entries the caller may see' }) total: number;
}

export const GRAPH_DIRECTIONS = ['dependants', 'dependencies', 'both'] as const;
export const MAX_GRAPH_DEPTH = 10;

export class GraphQueryDto {
  /**
   * dependants: what stops when this entry is down (e.g. the e-services behind a register);
   * dependencies: what this entry needs; both.
   */
  @IsOptional() @IsIn(GRAPH_DIRECTIONS) direction?: (typeof GRAPH_DIRECTIONS)[number];
  /** How many hops to follow (1–10, default 5). */
  @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(MAX_GRAPH_DEPTH) depth?: number;
}

export class GraphNodeDto extends RelatedEntryDto {
  @ApiProperty({ description: 'Fewest hops from the entry asked about (0 for itself)' }) depth: number;
  @ApiProperty({ enum: ['root', 'dependant', 'dependency'], isArray: true }) roles: string[];
}

export class GraphEdgeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) source: string;
  @ApiProperty({ format: 'uuid' }) target: string;
  @ApiProperty() type: string;
  @ApiProperty() inverse: string;
}

export class GraphDto {
  @ApiProperty({ type: RelatedEntryDto }) root: RelatedEntryDto;
  @ApiProperty({ enum: GRAPH_DIRECTIONS }) direction: string;
  @ApiProperty() depth: number;
  @ApiProperty({ type: GraphNodeDto, isArray: true }) nodes: GraphNodeDto[];
  @ApiProperty({ type: GraphEdgeDto, isArray: true }) edges: GraphEdgeDto[];
}
