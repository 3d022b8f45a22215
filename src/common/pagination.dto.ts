import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { QueryInt } from './query-params';

export class PageQueryDto {
  /** Items per page (1–100). */
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number = 20;

  /** Items to skip. */
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number = 0;
}

/** The envelope of every list. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
