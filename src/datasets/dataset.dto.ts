import { OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsISO8601, IsObject, IsOptional, IsString, IsUrl, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { EntryFieldsDto, ItemDto, URL_OPTIONS } from '../catalogue/dto/entry-fields.dto';
import { EntryMetaDto } from '../catalogue/dto/entry-meta.dto';
import { PERSONAL_DATA } from '../systems/system.dto';

export const DATASET_OPERATIONAL_STATUSES = ['planned', 'active', 'archived'] as const;
export const DATASET_TYPES = ['base_register', 'register', 'database', 'open_dataset'] as const;
export const ACCESS_RIGHTS = ['public', 'restricted', 'non_public'] as const;
export const UPDATE_FREQUENCIES = ['continuous', 'daily', 'weekly', 'monthly', 'quarterly', 'annual', 'irregular', 'never'] as const;

/** One attribute the dataset holds. */
export class DataElementDto extends ItemDto {
  @IsString() @MinLength(1) @MaxLength(300) name: string;
  @IsOptional() @IsString() @MaxLength(5000) description?: string;
  /** e.g. string, integer, date, boolean, geometry. */
  @IsOptional() @IsString() @MaxLength(100) type?: string;
  /** Holds personal data. */
  @IsOptional() @IsBoolean() personal?: boolean;
}

/** A way to get the data: a file, a feed, an API. */
export class DistributionDto extends ItemDto {
  @IsString() @MinLength(1) @MaxLength(300) title: string;
  /** e.g. CSV, JSON, XML, API, SHP. */
  @IsOptional() @IsString() @MaxLength(50) format?: string;
  @IsOptional() @IsUrl(URL_OPTIONS) @MaxLength(2048) accessUrl?: string;
  @IsOptional() @IsUrl(URL_OPTIONS) @MaxLength(2048) downloadUrl?: string;
  @IsOptional() @IsString() @MaxLength(500) licence?: string;
}

export class TemporalCoverageDto {
  @IsOptional() @IsISO8601({ strict: true }) start?: string;
  @IsOptional() @IsISO8601({ strict: true }) end?: string;
}

/** A dataset, database or register, as a client writes it. */
export class CreateDatasetDto extends EntryFieldsDto {
  @IsOptional() @IsIn(DATASET_OPERATIONAL_STATUSES) operationalStatus?: string;
  @IsOptional() @IsIn(DATASET_TYPES) datasetType?: string;
  /** The authoritative (reference) source of this data for the whole administration. */
  @IsOptional() @IsBoolean() authoritativeSource?: boolean;
  @IsOptional() @IsIn(ACCESS_RIGHTS) accessRights?: string;
  @IsOptional() @IsString() @MaxLength(500) licence?: string;
  @IsOptional() @IsIn(UPDATE_FREQUENCIES) updateFrequency?: string;
  @IsOptional() @IsString() @MaxLength(500) spatialCoverage?: string;

  @IsOptional()
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => TemporalCoverageDto)
  temporalCoverage?: TemporalCoverageDto;

  @IsOptional() @IsIn(PERSONAL_DATA) personalData?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsObject({ each: true, message: 'each item of $property must be an object' })
  @ValidateNested({ each: true })
  @Type(() => DataElementDto)
  dataElements?: DataElementDto[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsObject({ each: true, message: 'each item of $property must be an object' })
  @ValidateNested({ each: true })
  @Type(() => DistributionDto)
  distributions?: DistributionDto[];
}

/** A JSON merge patch of a dataset (RFC 7396). */
export class PatchDatasetDto extends PartialType(CreateDatasetDto) {}

/** A dataset as the API returns it. */
export class DatasetDto extends EntryMetaDto(OmitType(CreateDatasetDto, ['owner'] as const)) {}
