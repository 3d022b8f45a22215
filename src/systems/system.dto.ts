import { OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsISO8601, IsObject, IsOptional, IsString, IsUrl, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { EntryFieldsDto, ItemDto, URL_OPTIONS } from '../catalogue/dto/entry-fields.dto';
import { EntryMetaDto } from '../catalogue/dto/entry-meta.dto';

export const SYSTEM_OPERATIONAL_STATUSES = ['planned', 'in_development', 'in_production', 'decommissioned'] as const;
export const INTERFACE_TYPES = ['REST', 'SOAP', 'GraphQL', 'file', 'other'] as const;
export const SECURITY_LEVELS = ['low', 'medium', 'high'] as const;
export const PERSONAL_DATA = ['none', 'personal', 'special_category'] as const;

/** An X-Road subsystem: instance / member class / member code / subsystem code, kept as separate parts. */
export class XRoadSubsystemDto {
  @IsString() @MinLength(1) @MaxLength(255) instance: string;
  @IsString() @MinLength(1) @MaxLength(255) memberClass: string;
  @IsString() @MinLength(1) @MaxLength(255) memberCode: string;
  @IsString() @MinLength(1) @MaxLength(255) subsystemCode: string;
}

/** An X-Road service id. Parts are separate because real codes contain `/`. */
export class XRoadServiceDto extends XRoadSubsystemDto {
  @IsString() @MinLength(1) @MaxLength(255) serviceCode: string;
  @IsOptional() @IsString() @MaxLength(255) serviceVersion?: string;
}

/** Confidentiality / integrity / availability levels (restricted to the owner, reviewers and coordinators). */
export class SecurityLevelsDto {
  @IsOptional() @IsIn(SECURITY_LEVELS) confidentiality?: string;
  @IsOptional() @IsIn(SECURITY_LEVELS) integrity?: string;
  @IsOptional() @IsIn(SECURITY_LEVELS) availability?: string;
}

/** One operation of a REST interface (from listMethods or an OpenAPI document). */
export class EndpointDto {
  /** HTTP method, or * for any. */
  @IsString() @MinLength(1) @MaxLength(10) method: string;
  @IsString() @MinLength(1) @MaxLength(2000) path: string;
  @IsOptional() @IsString() @MaxLength(1000) summary?: string;
}

/** An interface a system exposes: an API, an X-Road service, a file exchange. */
export class InterfaceDto extends ItemDto {
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  name: string;

  @IsIn(INTERFACE_TYPES)
  type: string;

  @IsOptional() @IsUrl(URL_OPTIONS) @MaxLength(2048) baseUrl?: string;
  /** OpenAPI or WSDL document. */
  @IsOptional() @IsUrl(URL_OPTIONS) @MaxLength(2048) specUrl?: string;
  @IsOptional() @IsUrl(URL_OPTIONS) @MaxLength(2048) documentationUrl?: string;

  @IsOptional()
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => XRoadServiceDto)
  xroad?: XRoadServiceDto;

  @IsOptional() @IsString() @MaxLength(500) licence?: string;
  /** e.g. none, API key, OAuth2, mTLS, X-Road. */
  @IsOptional() @IsString() @MaxLength(200) authentication?: string;
  @IsOptional() @IsString() @MaxLength(5000) description?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsObject({ each: true, message: 'each item of $property must be an object' })
  @ValidateNested({ each: true })
  @Type(() => EndpointDto)
  endpoints?: EndpointDto[];

  /** Set by an X-Road import when the service no longer appears in listMethods (the interface is kept). */
  @IsOptional() @IsISO8601({ strict: true }) missingSince?: string;
}

/** An information system, as a client writes it. */
export class CreateSystemDto extends EntryFieldsDto {
  @IsOptional()
  @IsIn(SYSTEM_OPERATIONAL_STATUSES)
  operationalStatus?: string;

  @IsOptional() @IsUrl(URL_OPTIONS) @MaxLength(2048) homepage?: string;
  /** Where it runs (restricted). */
  @IsOptional() @IsString() @MaxLength(1000) hosting?: string;
  /** Restricted. */
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(100, { each: true }) technologies?: string[];

  @IsOptional()
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => SecurityLevelsDto)
  securityLevels?: SecurityLevelsDto;

  @IsOptional() @IsIn(PERSONAL_DATA) personalData?: string;
  /** A shared solution other agencies can reuse. */
  @IsOptional() @IsBoolean() reusable?: boolean;
  @IsOptional() @IsUrl(URL_OPTIONS) @MaxLength(2048) sourceCodeUrl?: string;
  @IsOptional() @IsString() @MaxLength(500) licence?: string;
  /** Date the system went into production (YYYY-MM-DD). */
  @IsOptional() @IsISO8601({ strict: true }) inProductionSince?: string;
  /** Date the system was or will be decommissioned (YYYY-MM-DD). */
  @IsOptional() @IsISO8601({ strict: true }) decommissionedOn?: string;

  @IsOptional()
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => XRoadSubsystemDto)
  xroadSubsystem?: XRoadSubsystemDto;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsObject({ each: true, message: 'each item of $property must be an object' })
  @ValidateNested({ each: true })
  @Type(() => InterfaceDto)
  interfaces?: InterfaceDto[];
}

/** A JSON merge patch of a system (RFC 7396): fields given replace, null removes. */
export class PatchSystemDto extends PartialType(CreateSystemDto) {}

/** An information system as the API returns it. */
export class SystemDto extends EntryMetaDto(OmitType(CreateSystemDto, ['owner'] as const)) {}
