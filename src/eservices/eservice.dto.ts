import { OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsOptional, IsString, IsUrl, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { EntryFieldsDto, ItemDto, URL_OPTIONS } from '../catalogue/dto/entry-fields.dto';
import { EntryMetaDto } from '../catalogue/dto/entry-meta.dto';

export const ESERVICE_OPERATIONAL_STATUSES = ['planned', 'available', 'suspended', 'withdrawn'] as const;
export const AUDIENCES = ['citizens', 'businesses', 'administrations'] as const;
export const CHANNEL_TYPES = ['online', 'mobile', 'counter', 'phone', 'email'] as const;
export const EVIDENCE_SUPPLIERS = ['applicant', 'administration'] as const;
export const AUTHENTICATION_LEVELS = ['none', 'low', 'substantial', 'high'] as const;

/** How people reach the service. */
export class ChannelDto extends ItemDto {
  @IsIn(CHANNEL_TYPES) type: string;
  @IsOptional() @IsUrl(URL_OPTIONS) @MaxLength(2048) url?: string;
  @IsOptional() @IsString() @MaxLength(1000) description?: string;
}

/** A document or piece of data the applicant must provide. */
export class EvidenceDto extends ItemDto {
  @IsString() @MinLength(1) @MaxLength(300) name: string;
  @IsOptional() @IsString() @MaxLength(5000) description?: string;
  /** Code or uuid of the dataset or register that already holds this evidence. */
  @IsOptional() @IsString() @MaxLength(64) dataset?: string;
  /**
   * Who supplies it today: the applicant (default: the service asks for it) or the administration
   * (the service already fetches it from the register: once-only is in place).
   */
  @IsOptional() @IsIn(EVIDENCE_SUPPLIERS) suppliedBy?: string;
}

/** A public service (e-service), as a client writes it. */
export class CreateEServiceDto extends EntryFieldsDto {
  @IsOptional() @IsIn(ESERVICE_OPERATIONAL_STATUSES) operationalStatus?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(3) @IsIn(AUDIENCES, { each: true }) audience?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true, message: 'each item of $property must be an object' })
  @ValidateNested({ each: true })
  @Type(() => ChannelDto)
  channels?: ChannelDto[];

  @IsOptional() @IsString() @MaxLength(500) fee?: string;
  @IsOptional() @IsString() @MaxLength(500) processingTime?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsObject({ each: true, message: 'each item of $property must be an object' })
  @ValidateNested({ each: true })
  @Type(() => EvidenceDto)
  evidence?: EvidenceDto[];

  /** What the applicant gets. */
  @IsOptional() @IsString() @MaxLength(2000) output?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(30) @IsString({ each: true }) @MaxLength(100, { each: true }) lifeEvents?: string[];
  @IsOptional() @IsIn(AUTHENTICATION_LEVELS) authenticationLevel?: string;
  /** Language codes (ISO 639). */
  @IsOptional() @IsArray() @ArrayMaxSize(30) @Matches(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, { each: true, message: 'languages must be language codes such as fr or en' }) languages?: string[];
  /** Where to start the service online. */
  @IsOptional() @IsUrl(URL_OPTIONS) @MaxLength(2048) serviceUrl?: string;
}

/** A JSON merge patch of an e-service (RFC 7396). */
export class PatchEServiceDto extends PartialType(CreateEServiceDto) {}

/** An e-service as the API returns it. */
export class EServiceDto extends EntryMetaDto(OmitType(CreateEServiceDto, ['owner'] as const)) {}
