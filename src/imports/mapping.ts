import type { Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage } from 'class-validator';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError, FieldError } from '../common/domain-error';
import { ENTRY_KINDS, EntryKind } from '../catalogue/entry.entity';
import { nativeMapping } from '../exports/native-columns';
import { KINDS } from '../kinds';
import { CreateOrganisationDto } from '../organisations/dto/organisation.dto';
import { TRANSFORMS, TransformName } from './transforms';

/**
 * How one source column (or constant) fills one field. A bare string is a column name.
 * Field paths are dotted, with array indexes: `interfaces.0.baseUrl`, `contacts.0`.
 */
export type FieldSpec =
  | string
  | {
      column?: string;
      /** Several columns, for transforms that read more than one (statusFromDates). */
      columns?: string[];
      /** A constant. */
      value?: unknown;
      /** Text with {column} placeholders. */
      template?: string;
      transform?: TransformName;
      /** Options of the transform (e.g. role for contact, separator for list, statuses for statusFromDates). */
      options?: Record<string, unknown>;
      /** The row fails when this field ends up empty. */
      required?: boolean;
    };

export interface TableMapping {
  /** Name of this table in reports and in the match keys it stores. */
  name: string;
  /** What each row becomes. */
  target: 'organisation' | 'system' | 'dataset' | 'eservice';
  /** A file belongs to this table when its header has all these columns. */
  detect: string[];
  /** Fields whose values identify a row across imports (re-imports update instead of duplicating). */
  match: string[];
  fields: Record<string, FieldSpec>;
}

export interface ImportMapping {
  name: string;
  description?: string;
  /** CSV delimiter, default ",". */
  delimiter?: string;
  tables: TableMapping[];
}

const PRESETS_DIR = join(__dirname, 'presets');

export function presetNames(): string[] {
  return ['uk-api-catalogue', 'catalogue-native'];
}

/** Loads a preset by name, or parses a mapping given as JSON text; validates it either way. */
export function resolveMapping(nameOrJson: string): ImportMapping {
  const trimmed = nameOrJson.trim();
  let raw: unknown;
  if (trimmed.startsWith('{')) {
    try {
      raw = JSON.parse(trimmed);
    } catch (err) {
      throw DomainError.badRequest('MAPPING_INVALID', `The mapping is not valid JSON: ${(err as Error).message}`);
    }
  } else {
    if (!presetNames().includes(trimmed)) {
      throw DomainError.badRequest('MAPPING_UNKNOWN', `No preset mapping ${JSON.stringify(trimmed.slice(0, 100))}; presets: ${presetNames().join(', ')}, or give a mapping file`);
    }
    if (trimmed === 'catalogue-native') return validateMapping(nativeMapping());
    const file = join(PRESETS_DIR, `${trimmed}.json`);
    if (!existsSync(file)) throw new Error(`preset file missing: ${file}`);
    raw = JSON.parse(readFileSync(file, 'utf8'));
  }
  return validateMapping(raw);
}

const TARGETS = ['organisation', ...ENTRY_KINDS];

export function validateMapping(raw: unknown): ImportMapping {
  const errors: FieldError[] = [];
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  const strings = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x.length > 0);
  if (!isObj(raw)) throw DomainError.badRequest('MAPPING_INVALID', 'A mapping is a JSON object', [{ field: '', message: 'expected an object' }]);
  if (typeof raw.name !== 'string' || !/^[a-z0-9][a-z0-9._-]{0,63}$/i.test(raw.name)) errors.push({ field: 'name', message: 'name must be 1–64 letters, digits, ., _ or -' });
  if (raw.delimiter !== undefined && (typeof raw.delimiter !== 'string' || raw.delimiter.length !== 1)) errors.push({ field: 'delimiter', message: 'delimiter must be one character' });
  if (!Array.isArray(raw.tables) || raw.tables.length === 0 || raw.tables.length > 10) {
    errors.push({ field: 'tables', message: 'tables must be a list of 1–10 table mappings' });
  } else {
    raw.tables.forEach((t: unknown, i: number) => {
      const at = `tables.${i}`;
      if (!isObj(t)) return errors.push({ field: at, message: 'expected an object' });
      if (typeof t.name !== 'string' || !t.name) errors.push({ field: `${at}.name`, message: 'name is required' });
      if (!TARGETS.includes(t.target as string)) errors.push({ field: `${at}.target`, message: `target must be one of ${TARGETS.join(', ')}` });
      if (!strings(t.detect)) errors.push({ field: `${at}.detect`, message: 'detect must list the columns that identify the file' });
      if (!strings(t.match)) errors.push({ field: `${at}.match`, message: 'match must list the fields that identify a row' });
      if (!isObj(t.fields) || Object.keys(t.fields).length === 0) {
        errors.push({ field: `${at}.fields`, message: 'fields must map field paths to columns' });
        return;
      }
      for (const [path, spec] of Object.entries(t.fields)) {
        const f = `${at}.fields.${path}`;
        if (!/^[A-Za-z][A-Za-z0-9]*(\.(\d{1,3}|[A-Za-z][A-Za-z0-9]*))*$/.test(path)) errors.push({ field: f, message: 'field paths look like name or interfaces.0.baseUrl' });
        else if (TARGETS.includes(t.target as string)) {
          // Checked here, not per row: a path the target does not have would fail every row of the file.
          const unknown = unknownField(t.target as TableMapping['target'], path);
          if (unknown) errors.push({ field: f, message: `table ${JSON.stringify(t.name)}: ${unknown}` });
        }
        if (typeof spec === 'string') continue;
        if (!isObj(spec)) {
          errors.push({ field: f, message: 'a field is a column name or an object { column | columns | value | template, transform?, options?, required? }' });
          continue;
        }
        const sources = ['column', 'columns', 'value', 'template'].filter((k) => spec[k] !== undefined);
        if (sources.length !== 1) errors.push({ field: f, message: 'give exactly one of column, columns, value, template' });
        if (spec.transform !== undefined && !(spec.transform as string in TRANSFORMS)) {
          errors.push({ field: `${f}.transform`, message: `transform must be one of ${Object.keys(TRANSFORMS).join(', ')}` });
        }
        if (spec.columns !== undefined && !strings(spec.columns)) errors.push({ field: `${f}.columns`, message: 'columns must list column names' });
      }
      for (const m of (t.match as string[]) ?? []) {
        if (isObj(t.fields) && !(m in t.fields)) errors.push({ field: `${at}.match`, message: `match field ${m} is not mapped` });
      }
    });
  }
  if (errors.length) throw DomainError.badRequest('MAPPING_INVALID', 'The import mapping is not valid', errors);
  return raw as unknown as ImportMapping;
}

/** What each target's rows are validated as (the import validates every row's document against it). */
function targetDto(target: TableMapping['target']): Type<object> {
  return target === 'organisation' ? CreateOrganisationDto : KINDS[target as EntryKind].createDto;
}

/** The fields a DTO accepts: those with validation rules, as the import's validation (whitelist) allows them. */
function dtoFields(dto: Type<object>): string[] {
  return [...new Set(getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).map((m) => m.propertyName))];
}

/**
 * The class a field's items or object are validated as (its `@Type`), or undefined for a scalar or
 * free-form field (translations, a JSON value). Read by transforming a probe, so it is exactly what
 * row validation does; an array probe serves both array and object fields.
 */
function nestedDto(dto: Type<object>, field: string): Type<object> | undefined {
  const probe = (plainToInstance(dto, { [field]: [{}] }) as Record<string, unknown[]>)[field]?.[0];
  const cls = probe && typeof probe === 'object' ? (probe.constructor as Type<object>) : undefined;
  return cls === Object ? undefined : cls;
}

/**
 * Why a field path names nothing the target has (its first unknown name, where, and what is allowed
 * there), or undefined when it is a field of the target. List indexes are not checked, nor names under
 * a field without a nested class (translations.en.name).
 */
export function unknownField(target: TableMapping['target'], path: string): string | undefined {
  let dto: Type<object> | undefined = targetDto(target);
  const at: string[] = [];
  for (const segment of path.split('.')) {
    if (!dto) return undefined;
    if (!/^\d+$/.test(segment)) {
      const fields = dtoFields(dto);
      if (!fields.includes(segment)) {
        const where = at.length ? ` in ${at.join('.')}` : '';
        const noun = target === 'organisation' ? 'organisation' : KINDS[target as EntryKind].label;
        return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun} has no field ${JSON.stringify(segment)}${where}; the fields there are ${fields.join(', ')}`;
      }
      dto = nestedDto(dto, segment);
    }
    at.push(segment);
  }
  return undefined;
}
