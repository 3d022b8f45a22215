import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ENTRY_KINDS, LIFECYCLE_STATUSES } from '../catalogue/entry.entity';
import { PageQueryDto } from '../common/pagination.dto';
import { QueryInt } from '../common/query-params';

export class OnceOnlyQueryDto {
  /** Only e-services of this organisation (code). */
  @IsOptional() @IsString() @MaxLength(64) owner?: string;
  /** true: only evidence an interface already exposes (the cheapest wins); false: only evidence no interface exposes yet. */
  @IsOptional() @IsIn(['true', 'false']) exposed?: string;
}

export class ReportOrganisationDto {
  @ApiProperty() code: string;
  @ApiProperty() name: string;
}

export class ReportEntryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional({ type: ReportOrganisationDto, nullable: true }) owner: ReportOrganisationDto | null;
}

export class ReportRegisterDto extends ReportEntryDto {
  @ApiProperty({ description: 'The dataset is the authoritative source of this data' }) authoritativeSource: boolean;
}

export class ReportEvidenceDto {
  @ApiPropertyOptional() id?: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional() description?: string;
}

export class ReportXRoadServiceDto {
  @ApiProperty() instance: string;
  @ApiProperty() memberClass: string;
  @ApiProperty() memberCode: string;
  @ApiProperty() subsystemCode: string;
  @ApiProperty() serviceCode: string;
  @ApiPropertyOptional() serviceVersion?: string;
}

export class ReportInterfaceDto {
  @ApiProperty({ type: ReportEntryDto, description: 'The system that offers it' }) system: Omit<ReportEntryDto, 'owner'>;
  @ApiPropertyOptional() id?: string;
  @ApiProperty() name: string;
  @ApiProperty() type: string;
  @ApiPropertyOptional({ type: ReportXRoadServiceDto, nullable: true }) xroad: ReportXRoadServiceDto | null;
}

export class OnceOnlyItemDto {
  @ApiProperty({ type: ReportEntryDto }) eservice: ReportEntryDto;
  @ApiProperty({ type: ReportEvidenceDto }) evidence: ReportEvidenceDto;
  @ApiProperty({ type: ReportRegisterDto, description: 'The dataset or register that already holds the evidence' }) register: ReportRegisterDto;
  @ApiProperty({ description: 'An interface already exposes the register: the service could fetch it instead of asking' }) exposed: boolean;
  @ApiProperty({ description: 'Whether one of them is an X-Road service' }) exposedOverXRoad: boolean;
  @ApiProperty({ type: ReportInterfaceDto, isArray: true }) interfaces: ReportInterfaceDto[];
}

export class OnceOnlySummaryDto {
  @ApiProperty({ description: 'E-services asking for evidence a register holds' }) eservices: number;
  @ApiProperty({ description: 'Pieces of evidence' }) evidence: number;
  @ApiProperty({ description: 'Of which an interface already exposes the register' }) exposed: number;
  @ApiProperty() registers: number;
}

export class OnceOnlyReportDto {
  @ApiProperty({ type: OnceOnlyItemDto, isArray: true, description: 'Cheapest wins first: exposed over X-Road, then exposed, then the rest' }) items: OnceOnlyItemDto[];
  @ApiProperty() total: number;
  @ApiProperty({ type: OnceOnlySummaryDto }) summary: OnceOnlySummaryDto;
}

export class QualityQueryDto extends PageQueryDto {
  @IsOptional() @IsIn(ENTRY_KINDS) kind?: string;
  @IsOptional() @IsString() @MaxLength(64) owner?: string;
  /** e.g. in_review: the review screen's list with each entry's completeness. */
  @IsOptional() @IsIn(LIFECYCLE_STATUSES) lifecycleStatus?: string;
  /** Only entries at or below this score. */
  @IsOptional() @QueryInt() @IsInt() @Min(0) @Max(100) maxQuality?: number;
}

export class QualityItemDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ENTRY_KINDS }) kind: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty() lifecycleStatus: string;
  @ApiPropertyOptional({ nullable: true }) owner: string | null;
  @ApiProperty({ minimum: 0, maximum: 100 }) score: number;
  @ApiProperty({ type: [String] }) missing: string[];
}

export class QualityReportDto {
  @ApiProperty({ type: QualityItemDto, isArray: true, description: 'Weakest first' }) items: QualityItemDto[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
  @ApiProperty({ description: 'Recommended fields per kind: the score is the share of them that are filled', example: { system: ['description', 'owner'] } })
  recommendedFields: Record<string, readonly string[]>;
}
