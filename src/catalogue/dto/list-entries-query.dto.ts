import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.dto';
import { LIFECYCLE_STATUSES } from '../entry.entity';
import { THEMES } from './entry-fields.dto';
import { QueryInt } from '../../common/query-params';

export const ENTRY_SORTS = ['name', '-name', 'code', '-code', 'updatedAt', '-updatedAt', 'createdAt', '-createdAt', 'relevance'] as const;

export class ListEntriesQueryDto extends PageQueryDto {
  /** Owner organisation code. */
  @IsOptional() @IsString() @MaxLength(64) owner?: string;
  @IsOptional() @IsIn(LIFECYCLE_STATUSES) lifecycleStatus?: string;
  /** Operational status (values depend on the kind). */
  @IsOptional() @IsString() @MaxLength(32) operationalStatus?: string;
  @IsOptional() @IsString() @MaxLength(100) tag?: string;
  @IsOptional() @IsIn(THEMES) theme?: string;
  /** Words to look for (same matching as /search). */
  @IsOptional() @IsString() @MaxLength(500) q?: string;
  /** Only entries whose completeness score (0–100, share of the kind's recommended fields filled) is at least this. */
  @IsOptional() @QueryInt() @IsInt() @Min(0) @Max(100) minQuality?: number;
  /** Default: relevance when q is given, else name. A unique tie-breaker (id) always follows. */
  @IsOptional() @IsIn(ENTRY_SORTS) sort?: (typeof ENTRY_SORTS)[number];
}

export class TransitionDto {
  /** Target lifecycle status. */
  @IsIn(LIFECYCLE_STATUSES) status: string;
  /** Why; kept in the history. */
  @IsOptional() @IsString() @MaxLength(5000) comment?: string;
}
