import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  MaxLength,
  IsObject,
  MinLength,
  ValidateNested,
  registerDecorator,
  ValidationArguments,
} from 'class-validator';

/** EU Data Theme codes (publications.europa.eu authority table data-theme). */
export const THEMES = ['AGRI', 'ECON', 'EDUC', 'ENER', 'ENVI', 'GOVE', 'HEAL', 'INTR', 'JUST', 'REGI', 'SOCI', 'TECH', 'TRAN'] as const;

export const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true, require_tld: false, allow_underscores: true };

/**
 * Base of every item inside an entry (contacts, interfaces, distributions...). Items get an id when
 * first stored and keep it across edits, so other things can point at them.
 */
export class ItemDto {
  /** Item id, kept across edits; generated when absent. */
  @IsOptional()
  @IsUUID()
  id?: string;
}

/** A person or mailbox to contact about an entry. */
export class ContactDto extends ItemDto {
  /** e.g. functional, technical, business owner, maintainer. */
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  role: string;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  name?: string;

  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  /** A contact or support page. */
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @MaxLength(2048)
  url?: string;
}

/** A document or web page about an entry. */
export class LinkDto extends ItemDto {
  /** e.g. documentation, homepage, specification, legal, other. */
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  type: string;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  title?: string;

  @IsUrl(URL_OPTIONS)
  @MaxLength(2048)
  url: string;
}

/** A law or regulation the entry rests on. */
export class LegalBasisDto extends ItemDto {
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  title: string;

  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @MaxLength(2048)
  url?: string;
}

/** Where an import took an entry from. */
export class SourceDto {
  /** e.g. csv:uk-api-catalogue, xroad. */
  @IsString()
  @MaxLength(100)
  format: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  externalId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2048)
  url?: string;

  /** X-Road instance the import read it from. */
  @IsOptional()
  @IsString()
  @MaxLength(255)
  instance?: string;

  /** Set by an import when the entry no longer appears in its source (it is kept, not deleted). */
  @IsOptional()
  @IsISO8601({ strict: true })
  missingSince?: string;
}

/** `{ "en": { "name": "...", "description": "..." } }`: language code → translated texts. */
export function IsTranslations() {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isTranslations',
      target: object.constructor,
      propertyName,
      validator: {
        validate(value: unknown) {
          if (value === undefined) return true;
          if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
          const entries = Object.entries(value as Record<string, unknown>);
          if (entries.length > 30) return false;
          return entries.every(([lang, t]) => {
            if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(lang)) return false;
            if (!t || typeof t !== 'object' || Array.isArray(t)) return false;
            return Object.entries(t as Record<string, unknown>).every(
              ([k, v]) => (k === 'name' && typeof v === 'string' && v.length <= 300) || (k === 'description' && typeof v === 'string' && v.length <= 20000),
            );
          });
        },
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property} must map language codes (en, fr, pt-BR) to { name?, description? } strings`,
      },
    });
}

/**
 * The fields every kind of entry shares, as a client writes them. Each kind's DTO extends this and
 * adds its own fields and its list of operational statuses.
 */
export class EntryFieldsDto {
  /** Name as the owner uses it. */
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;

  /** Markdown. Stored exactly as given; never rendered by the API. */
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  description?: string;

  /** Code of the owner organisation; absent for an unclaimed entry. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  owner?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  tags?: string[];

  /** EU Data Theme codes. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(13)
  @IsIn(THEMES, { each: true })
  themes?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsObject({ each: true, message: 'each item of $property must be an object' })
  @ValidateNested({ each: true })
  @Type(() => ContactDto)
  contacts?: ContactDto[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsObject({ each: true, message: 'each item of $property must be an object' })
  @ValidateNested({ each: true })
  @Type(() => LinkDto)
  links?: LinkDto[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsObject({ each: true, message: 'each item of $property must be an object' })
  @ValidateNested({ each: true })
  @Type(() => LegalBasisDto)
  legalBasis?: LegalBasisDto[];

  /** Translated name and description per language, e.g. `{ "en": { "name": "..." } }`. */
  @IsOptional()
  @IsTranslations()
  translations?: Record<string, { name?: string; description?: string }>;

  @IsOptional()
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => SourceDto)
  source?: SourceDto;

  /** Free-text remarks, e.g. what an import could not place in a field. */
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  notes?: string;
}
