import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { GLOBAL_ROLES, ORGANISATION_ROLES, USER_KINDS } from '../user.entity';

export class MembershipDto {
  @ApiProperty({ example: { code: 'IN00001', name: 'Ministry of Finance' } }) organisation: { code: string; name: string };
  @ApiProperty({ enum: ORGANISATION_ROLES }) role: string;
}

/** The caller as the catalogue knows them. */
export class MeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: USER_KINDS }) kind: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional({ nullable: true }) email: string | null;
  @ApiPropertyOptional({ enum: GLOBAL_ROLES, nullable: true, description: 'Catalogue-wide role, if any' }) globalRole: string | null;
  @ApiProperty({ type: MembershipDto, isArray: true }) memberships: MembershipDto[];
  @ApiProperty({ enum: ['oidc', 'api_key'], description: 'How this request was authenticated' }) authenticatedBy: string;
}

export class MemberDto {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional({ nullable: true }) email: string | null;
  @ApiProperty({ enum: USER_KINDS }) kind: string;
  @ApiProperty({ enum: ORGANISATION_ROLES }) role: string;
  @ApiProperty({ format: 'date-time' }) since: string;
}

export class MemberListDto {
  @ApiProperty({ type: MemberDto, isArray: true }) items: MemberDto[];
  @ApiProperty() total: number;
}

export class AddMemberDto {
  /** The user's id, or the e-mail address of a user who has signed in once. */
  @IsString() @MinLength(1) @MaxLength(320) user: string;
  @IsIn(ORGANISATION_ROLES) role: string;
}

export class ChangeMemberDto {
  @IsIn(ORGANISATION_ROLES) role: string;
}

export class CreateApiKeyDto {
  /** What the key is for (shown in lists). */
  @IsString() @MinLength(1) @MaxLength(200) name: string;
  /** When the key stops working; none: until revoked. */
  @IsOptional() @IsISO8601() expiresAt?: string;
  /** Admins only: the user or service account the key acts as (default: the caller). */
  @IsOptional() @IsUUID() user?: string;
}

export class ApiKeyUserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: USER_KINDS }) kind: string;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'First characters of the key' }) prefix: string;
  @ApiProperty({ type: ApiKeyUserDto }) user: ApiKeyUserDto;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) expiresAt: Date | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) revokedAt: Date | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) lastUsedAt: Date | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The key: shown once, store it now' }) key: string;
}

export class ApiKeyListDto {
  @ApiProperty({ type: ApiKeyDto, isArray: true }) items: ApiKeyDto[];
}

export class ApiKeyListQueryDto {
  /** Admins: only the keys of this user (user id). */
  @IsOptional()
  @IsUUID('all', { message: 'user must be a user id (uuid)' })
  user?: string;
}
