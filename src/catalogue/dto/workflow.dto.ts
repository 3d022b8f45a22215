import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.dto';
import { REVIEW_DECISIONS, REVIEW_STATUSES, TRANSFER_KINDS, TRANSFER_STATUSES } from '../workflow.entity';

export class CommentDto {
  /** Why; kept in the history (review comments are shown to the owner, reviewers and coordinators only). */
  @IsOptional() @IsString() @MaxLength(5000) comment?: string;
}

export class TransferRequestDto extends CommentDto {
  /** Code of the organisation that should own the entry. */
  @IsString() @MinLength(1) @MaxLength(64) to: string;
}

export class ClaimDto extends CommentDto {
  /** Code of the organisation claiming the unclaimed entry (you are its admin). */
  @IsString() @MinLength(1) @MaxLength(64) organisation: string;
}

export class ReassignDto extends CommentDto {
  /** Code of the new owner organisation. */
  @IsString() @MinLength(1) @MaxLength(64) to: string;
}

export class BulkReassignDto extends ReassignDto {
  /** Entries of any kind, by code (IS00001, DS00002...) or uuid. */
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @IsString({ each: true }) @MaxLength(64, { each: true }) entries: string[];
}

export class EntryRefDto {
  @ApiProperty() kind: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: '/api/v1/systems/IS00001' }) href: string;
}

export class OrgRefDto {
  @ApiProperty() code: string;
  @ApiProperty() name: string;
}

export class TransferDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: TRANSFER_KINDS, description: 'transfer: owner hands over; claim: an organisation asks for an unclaimed entry' }) kind: string;
  @ApiProperty({ enum: TRANSFER_STATUSES }) status: string;
  @ApiProperty({ type: EntryRefDto }) entry: EntryRefDto;
  @ApiPropertyOptional({ type: OrgRefDto, nullable: true }) from: OrgRefDto | null;
  @ApiProperty({ type: OrgRefDto }) to: OrgRefDto;
  @ApiPropertyOptional({ nullable: true }) requestedBy: string | null;
  @ApiPropertyOptional({ nullable: true }) comment: string | null;
  @ApiPropertyOptional({ nullable: true }) decidedBy: string | null;
  @ApiPropertyOptional({ nullable: true }) decisionComment: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) decidedAt: string | null;
}

export class TransferPageDto {
  @ApiProperty({ type: TransferDto, isArray: true }) items: TransferDto[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class ListTransfersQueryDto extends PageQueryDto {
  @IsOptional() @IsIn(TRANSFER_STATUSES) status?: string;
  /** incoming: to your organisations; outgoing: from them. Default: both (coordinators: all). */
  @IsOptional() @IsIn(['incoming', 'outgoing']) direction?: 'incoming' | 'outgoing';
}

export class ReassignErrorDto {
  @ApiProperty() status: number;
  @ApiProperty() code: string;
  @ApiProperty() detail: string;
}

export class ReassignResultDto {
  @ApiProperty({ description: 'The reference as given' }) ref: string;
  @ApiProperty({ enum: ['reassigned', 'unchanged', 'failed'] }) status: string;
  @ApiPropertyOptional() code?: string;
  @ApiPropertyOptional({ description: 'systems, datasets or eservices' }) kind?: string;
  @ApiPropertyOptional({ type: ReassignErrorDto }) error?: ReassignErrorDto;
}

export class BulkReassignResultDto {
  @ApiProperty({ type: ReassignResultDto, isArray: true }) results: ReassignResultDto[];
  @ApiProperty() reassigned: number;
  @ApiProperty() unchanged: number;
  @ApiProperty() failed: number;
}

export class HistoryItemDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Entry version this revision produced' }) version: number;
  @ApiProperty({ example: 'update', description: 'create, update, import, submit, approve, request-changes, transfer_accepted, reassign...' }) action: string;
  @ApiPropertyOptional({ nullable: true, description: 'Who; shown to the owner, reviewers and coordinators only' }) actor: string | null;
  @ApiPropertyOptional({ nullable: true }) comment: string | null;
  @ApiProperty({ example: { name: { before: 'Old', after: 'New' } } }) changes: Record<string, { before: unknown; after: unknown }>;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class HistoryPageDto {
  @ApiProperty({ type: HistoryItemDto, isArray: true }) items: HistoryItemDto[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class ReviewDecisionDto {
  @ApiProperty({ enum: REVIEW_DECISIONS }) decision: string;
  @ApiPropertyOptional({ nullable: true }) comment: string | null;
  @ApiPropertyOptional({ nullable: true }) by: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Reviewer organisation; null for a coordinator' }) organisation: string | null;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class ReviewEntryDto extends EntryRefDto {
  @ApiProperty() lifecycleStatus: string;
}

export class ReviewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: ReviewEntryDto }) entry: ReviewEntryDto;
  @ApiProperty({ enum: REVIEW_STATUSES }) status: string;
  @ApiPropertyOptional({ nullable: true, example: 'approved' }) outcome: string | null;
  @ApiProperty({ format: 'date', description: 'Last day for a decision (working days after submission)' }) deadline: string;
  @ApiProperty() overdue: boolean;
  @ApiProperty({ type: [String], description: 'Codes of the assigned reviewer organisations' }) reviewers: string[];
  @ApiProperty({ type: ReviewDecisionDto, isArray: true }) decisions: ReviewDecisionDto[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) closedAt: string | null;
}

export class ReviewPageDto {
  @ApiProperty({ type: ReviewDto, isArray: true }) items: ReviewDto[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class ListReviewsQueryDto extends PageQueryDto {
  /** `me`: open reviews waiting for your decision (coordinators: all open reviews). */
  @IsOptional() @IsIn(['me']) assigned?: string;
  @IsOptional() @IsIn(REVIEW_STATUSES) status?: string;
}

export class DecideReviewDto extends CommentDto {
  @IsIn(REVIEW_DECISIONS) decision: string;
}

export class AddReviewerDto {
  /** Code of the organisation that should review. */
  @IsString() @MinLength(1) @MaxLength(64) organisation: string;
}
