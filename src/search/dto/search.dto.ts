import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.dto';
import { ENTRY_KINDS } from '../../catalogue/entry.entity';
import { OrganisationRefDto } from '../../catalogue/dto/entry-meta.dto';

export const KIND_PATHS = ['systems', 'datasets', 'eservices'] as const;

export class SearchQueryDto extends PageQueryDto {
  /** What to look for: words in any order, accents optional, the last word may be unfinished. */
  @IsOptional() @IsString() @MaxLength(500) q?: string;
  /** Only this kind: systems, datasets or eservices. */
  @IsOptional() @IsIn(KIND_PATHS) kind?: (typeof KIND_PATHS)[number];
  /** Only entries of this organisation (code). */
  @IsOptional() @IsString() @MaxLength(64) owner?: string;
}

export class SearchHitDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'IS00016' }) code: string;
  @ApiProperty({ enum: ENTRY_KINDS }) kind: string;
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiPropertyOptional({ type: OrganisationRefDto, nullable: true }) owner: OrganisationRefDto | null;
  @ApiProperty() lifecycleStatus: string;
  @ApiProperty() operationalStatus: string;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({ description: 'Relevance; higher is better' }) score: number;
  @ApiProperty({ description: 'Where to read it: /api/v1/{kind}/{code}' }) href: string;
}

export class SearchFacetsDto {
  @ApiProperty({ example: { systems: 3, datasets: 1 }, description: 'Hits per kind (ignoring the kind filter)' })
  kind: Record<string, number>;
  @ApiProperty({ example: { IN00001: 2 }, description: 'Hits per owner code (ignoring the owner filter)' })
  owner: Record<string, number>;
}

export class SearchResultDto {
  @ApiProperty({ type: SearchHitDto, isArray: true }) items: SearchHitDto[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
  @ApiProperty({ type: SearchFacetsDto }) facets: SearchFacetsDto;
}
