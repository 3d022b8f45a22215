import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.dto';
import { ENTRY_KINDS, LIFECYCLE_STATUSES } from '../../catalogue/entry.entity';
import { OrganisationRefDto } from '../../catalogue/dto/entry-meta.dto';
import { THEMES } from '../../catalogue/dto/entry-fields.dto';
import { QueryInt } from '../../common/query-params';

export const KIND_PATHS = ['systems', 'datasets', 'eservices'] as const;

export class SearchQueryDto extends PageQueryDto {
  /**
   * What to look for: words in any order, accents optional, French or English word forms, typos in words
   * of 5+ letters forgiven, the last word may be unfinished. Punctuation separates words. An exact code
   * (IS00016) or an exact name comes first.
   */
  @IsOptional() @IsString() @MaxLength(500) q?: string;
  /** Only this kind: systems, datasets or eservices. */
  @IsOptional() @IsIn(KIND_PATHS) kind?: (typeof KIND_PATHS)[number];
  /** Only entries of this organisation (code). */
  @IsOptional() @IsString() @MaxLength(64) owner?: string;
  /** Only entries in this lifecycle status. */
  @IsOptional() @IsIn(LIFECYCLE_STATUSES) lifecycleStatus?: string;
  /** Only entries in this operational status (values depend on the kind). */
  @IsOptional() @IsString() @MaxLength(32) operationalStatus?: string;
  /** Only entries with this theme (EU data theme code). */
  @IsOptional() @IsIn(THEMES) theme?: string;
  /** Only entries with this tag (exact). */
  @IsOptional() @IsString() @MaxLength(100) tag?: string;
}

export class SuggestQueryDto {
  /** The beginning of a name or code, as typed so far. */
  @IsString() @MaxLength(200) q: string;
  /** Suggestions to return (1–20). */
  @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(20) limit?: number = 10;
}

export class TextMatchDto {
  /** First matched character, as a JavaScript (UTF-16) string index into the text it belongs to. */
  @ApiProperty() start: number;
  /** Matched length in UTF-16 code units. */
  @ApiProperty() length: number;
}

export class SnippetDto {
  /** Plain-text excerpt of the description (never HTML; escape it when rendering). */
  @ApiProperty() text: string;
  /** Where the excerpt starts in the full description. */
  @ApiProperty() offset: number;
  /** Matched words inside `text`. */
  @ApiProperty({ type: [TextMatchDto] }) matches: TextMatchDto[];
}

/** A translated name the query matched, with the matched words. */
export class TranslatedNameMatchDto {
  @ApiProperty() text: string;
  @ApiProperty({ type: [TextMatchDto] }) matches: TextMatchDto[];
}

/**
 * Where the query matched: positions, never markup, so clients render highlights safely. A hit whose
 * name and description hold no matched word matched elsewhere: in its tags, a translated name, its
 * interfaces or its owner.
 */
export class HighlightDto {
  /** Matched words in `name`. */
  @ApiProperty({ type: [TextMatchDto] }) name: TextMatchDto[];
  /** An excerpt of the description around the first match, or null without a description. */
  @ApiPropertyOptional({ type: SnippetDto, nullable: true }) description: SnippetDto | null;
  /** The entry's tags that hold a matched word. */
  @ApiProperty({ type: [String] }) tags: string[];
  /** The names of its translations that hold a matched word. */
  @ApiProperty({ type: [TranslatedNameMatchDto] }) translatedNames: TranslatedNameMatchDto[];
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
  @ApiProperty({ type: [String] }) themes: string[];
  @ApiProperty({ description: 'Relevance; higher is better. Comparable within one response only.' }) score: number;
  @ApiProperty({ type: HighlightDto }) highlight: HighlightDto;
  @ApiProperty({ description: 'Where to read it: /api/v1/{kind}/{code}' }) href: string;
}

export class SearchFacetsDto {
  @ApiProperty({ example: { systems: 3, datasets: 1 }, description: 'Hits per kind (ignoring the kind filter)' })
  kind: Record<string, number>;
  @ApiProperty({ example: { IN00001: 2 }, description: 'Hits per owner code (ignoring the owner filter); the 50 most frequent' })
  owner: Record<string, number>;
  @ApiProperty({ example: { published: 3 }, description: 'Hits per lifecycle status (ignoring that filter)' })
  lifecycleStatus: Record<string, number>;
  @ApiProperty({ example: { in_production: 3 }, description: 'Hits per operational status (ignoring that filter)' })
  operationalStatus: Record<string, number>;
  @ApiProperty({ example: { GOVE: 2 }, description: 'Hits per theme (ignoring the theme filter)' })
  theme: Record<string, number>;
  @ApiProperty({ example: { api: 2 }, description: 'Hits per tag (ignoring the tag filter); the 50 most frequent' })
  tag: Record<string, number>;
}

export class SearchResultDto {
  @ApiProperty({ type: SearchHitDto, isArray: true }) items: SearchHitDto[];
  /** Hits the caller may see, across all pages. */
  @ApiProperty() total: number;
  /** True when `total` is an estimate (very broad queries on some backends); false when it is exact. */
  @ApiProperty() totalIsEstimate: boolean;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
  @ApiProperty({ type: SearchFacetsDto }) facets: SearchFacetsDto;
}

export class SuggestionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'IS00016' }) code: string;
  @ApiProperty({ enum: ENTRY_KINDS }) kind: string;
  @ApiProperty() name: string;
  /** Matched words in `name`. */
  @ApiProperty({ type: [TextMatchDto] }) highlight: TextMatchDto[];
  @ApiProperty({ description: 'Where to read it: /api/v1/{kind}/{code}' }) href: string;
}

export class SuggestResultDto {
  @ApiProperty({ type: SuggestionDto, isArray: true }) items: SuggestionDto[];
}
