import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ImportIssueDto {
  @ApiProperty() file: string;
  @ApiProperty({ description: 'Row number in the file (the header is row 1; for X-Road, the item number from 1); 0 for an entry the source no longer lists' }) row: number;
  @ApiProperty({ enum: ['failed', 'warning'] }) status: string;
  @ApiPropertyOptional() column?: string;
  @ApiPropertyOptional() field?: string;
  @ApiProperty() message: string;
}

/** Each row is counted once, as created, updated, unchanged or failed: rows = created + updated + unchanged + failed. */
export class ImportCountsDto {
  @ApiProperty({ description: 'Rows (items) the file lists' }) rows: number;
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
  @ApiProperty() unchanged: number;
  @ApiProperty({ description: 'Rows that failed, however many reasons each (every reason is listed in issues)' }) failed: number;
  @ApiProperty({ description: 'Warning issues (a row may have several; an entry the source no longer lists is one, on row 0)' }) warnings: number;
}

export class ImportTableReportDto extends ImportCountsDto {
  @ApiProperty() file: string;
  @ApiProperty() table: string;
  @ApiProperty({ enum: ['organisation', 'system', 'dataset', 'eservice'] }) target: string;
}

export class ImportReportDto {
  @ApiProperty() mapping: string;
  @ApiProperty({ description: 'Nothing was written' }) dryRun: boolean;
  @ApiProperty({ type: ImportTableReportDto, isArray: true }) tables: ImportTableReportDto[];
  @ApiProperty({ type: ImportCountsDto }) totals: ImportCountsDto;
  @ApiProperty({ type: ImportIssueDto, isArray: true, description: 'Failed rows and warnings (at most 5000 listed)' }) issues: ImportIssueDto[];
}

/** The multipart form of POST /imports (documentation only; parts are read from the stream). */
export class ImportFormDto {
  @ApiProperty({ type: 'string', format: 'binary', isArray: true, description: 'One or more CSV files (e.g. organisation.csv and catalogue.csv)' })
  file: unknown;
  @ApiProperty({ description: 'A preset name (uk-api-catalogue) or a mapping as JSON text' }) mapping: string;
  @ApiPropertyOptional({ description: 'true: report what would happen, write nothing' }) dryRun?: string;
  @ApiPropertyOptional({ description: 'true: created entries are published' }) publish?: string;
}
