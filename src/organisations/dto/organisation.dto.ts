import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsEmail, IsIn, IsObject, IsOptional, IsString, IsUrl, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { URL_OPTIONS } from '../../catalogue/dto/entry-fields.dto';
import { PageQueryDto } from '../../common/pagination.dto';
import { ORGANISATION_TYPES } from '../organisation.entity';

/** An X-Road member: instance / member class / member code. */
/** Surrounding white space is dropped: `"1710128-9 "` is the member 1710128-9, not a second id beside it. */
const Trimmed = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

export class XRoadMemberDto {
  @Trimmed() @IsString() @MinLength(1) @MaxLength(255) instance: string;
  @Trimmed() @IsString() @MinLength(1) @MaxLength(255) memberClass: string;
  @Trimmed() @IsString() @MinLength(1) @MaxLength(255) memberCode: string;
}

export class CreateOrganisationDto {
  /** Stable code; generated (IN00001) when absent. Letters, digits, `-` and `_`. */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { message: 'code must be 1–64 letters, digits, - or _' })
  code?: string;

  @IsString()
  @MinLength(1)
  @MaxLength(300)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;

  @IsOptional() @IsString() @MaxLength(64) acronym?: string;

  @IsOptional()
  @IsIn(ORGANISATION_TYPES)
  type?: string;

  /** Code of the parent organisation. */
  @IsOptional() @IsString() @MaxLength(64) parent?: string;

  @IsOptional() @IsUrl(URL_OPTIONS) @MaxLength(2048) website?: string;
  @IsOptional() @IsEmail() @MaxLength(320) email?: string;

  @IsOptional()
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => XRoadMemberDto)
  xroadMember?: XRoadMemberDto;
}

/** JSON merge patch of an organisation. The code cannot change. */
export class PatchOrganisationDto extends PartialType(CreateOrganisationDto) {}

export class OrganisationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'IN00001' }) code: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional({ nullable: true }) acronym: string | null;
  @ApiProperty({ enum: ORGANISATION_TYPES }) type: string;
  @ApiPropertyOptional({ nullable: true, description: 'Code of the parent organisation' }) parent: string | null;
  @ApiPropertyOptional({ nullable: true }) website: string | null;
  @ApiPropertyOptional({ nullable: true }) email: string | null;
  @ApiPropertyOptional({ type: XRoadMemberDto, nullable: true }) xroadMember: XRoadMemberDto | null;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class OrganisationPageDto {
  @ApiProperty({ type: OrganisationDto, isArray: true }) items: OrganisationDto[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class ListOrganisationsQueryDto extends PageQueryDto {
  /** Words in the name, acronym or code. */
  @IsOptional() @IsString() @MaxLength(500) q?: string;
  @IsOptional() @IsIn(ORGANISATION_TYPES) type?: string;
  /** name, -name, code, -code. */
  @IsOptional() @IsIn(['name', '-name', 'code', '-code']) sort?: string;
}
