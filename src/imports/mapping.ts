import type { Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage } from 'class-validator';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError, FieldError } from '../common/domain-error';
import { isJsonObject } from '../common/text';
import { jsonInputErrors, reservedKeyMessage } from '../common/validation';
import { ENTRY_KINDS, EntryKind } from '../catalogue/entry.entity';
import { nativeMapping } from '../exports/native-columns';
import { KINDS } from '../kinds';
import { CreateOrganisationDto } from '../organisations/dto/organisation.dto';
import { TRANSFORM_SHAPES, TRANSFORMS, TransformName } from './transforms';

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
    // JSON that is no object (`[1,2]`, `"x"`, `null`) is a mapping sent wrong, not the name of a preset.
    if (/^(\[|"|-?\d|null$|true$|false$)/.test(trimmed)) {
      throw DomainError.badRequest('MAPPING_INVALID', 'The mapping must be a JSON object (or the name of a preset)');
    }
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
  const strings = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x.length > 0);
  if (!isJsonObject(raw)) throw DomainError.badRequest('MAPPING_INVALID', 'A mapping is a JSON object', [{ field: '', message: 'expected an object' }]);
  // The rule for every JSON the API reads: a reserved key (`constructor`, `__proto__`) anywhere refuses the mapping, naming it.
  const refused = jsonInputErrors(raw);
  if (refused.length) throw DomainError.badRequest('MAPPING_INVALID', 'The import mapping is not valid', refused);
  if (typeof raw.name !== 'string' || !/^[a-z0-9][a-z0-9._-]{0,63}$/i.test(raw.name)) errors.push({ field: 'name', message: 'name must be 1–64 letters, digits, ., _ or -' });
  if (raw.delimiter !== undefined && (typeof raw.delimiter !== 'string' || raw.delimiter.length !== 1)) errors.push({ field: 'delimiter', message: 'delimiter must be one character' });
  if (!Array.isArray(raw.tables) || raw.tables.length === 0 || raw.tables.length > 10) {
    errors.push({ field: 'tables', message: 'tables must be a list of 1–10 table mappings' });
  } else {
    raw.tables.forEach((t: unknown, i: number) => {
      const at = `tables.${i}`;
      if (!isJsonObject(t)) return errors.push({ field: at, message: 'expected an object' });
      if (typeof t.name !== 'string' || !t.name) errors.push({ field: `${at}.name`, message: 'name is required' });
      if (!TARGETS.includes(t.target as string)) errors.push({ field: `${at}.target`, message: `target must be one of ${TARGETS.join(', ')}` });
      if (!strings(t.detect)) errors.push({ field: `${at}.detect`, message: 'detect must list the columns that identify the file' });
      if (!strings(t.match)) errors.push({ field: `${at}.match`, message: 'match must list the fields that identify a row' });
      if (!isJsonObject(t.fields) || Object.keys(t.fields).length === 0) {
        errors.push({ field: `${at}.fields`, message: 'fields must map field paths to columns' });
        return;
      }
      for (const [path, spec] of Object.entries(t.fields)) {
        const f = `${at}.fields.${path}`;
        const reserved = path.split('.').map(reservedKeyMessage).find(Boolean);
        // List indexes without leading zeros: interfaces.01 would be a second spelling of interfaces.1.
        if (!/^[A-Za-z][A-Za-z0-9]*(\.(0|[1-9]\d{0,2}|[A-Za-z][A-Za-z0-9]*))*$/.test(path)) {
          errors.push({ field: f, message: 'field paths look like name or interfaces.0.baseUrl (list indexes 0 to 999, without leading zeros)' });
        }
        // A segment is a key of the row's document (translations.constructor.name), so the same rule applies to it.
        else if (reserved) errors.push({ field: f, message: reserved });
        else if (TARGETS.includes(t.target as string)) {
          // Checked here, not per row: a path the target does not have would fail every row of the file.
          const problem = (typeof spec === 'string' || isJsonObject(spec)) && fieldPathProblem(t.target as TableMapping['target'], path, spec as FieldSpec);
          if (problem) errors.push({ field: f, message: `table ${JSON.stringify(t.name)}: ${problem}` });
        }
        if (typeof spec === 'string') continue;
        if (!isJsonObject(spec)) {
          errors.push({ field: f, message: 'a field is a column name or an object { column | columns | value | template, transform?, options?, required? }' });
          continue;
        }
        const sources = ['column', 'columns', 'value', 'template'].filter((k) => spec[k] !== undefined);
        if (sources.length !== 1) errors.push({ field: f, message: 'give exactly one of column, columns, value, template' });
        // Own names only: `in` would also take Object.prototype's (toString, __proto__), which are no transforms.
        if (spec.transform !== undefined && !(typeof spec.transform === 'string' && Object.hasOwn(TRANSFORMS, spec.transform))) {
          errors.push({ field: `${f}.transform`, message: `transform must be one of ${Object.keys(TRANSFORMS).join(', ')}` });
        }
        if (spec.columns !== undefined && !strings(spec.columns)) errors.push({ field: `${f}.columns`, message: 'columns must list column names' });
        // Checked here so that building a row's document cannot trip over them (a template that is not text).
        if (spec.column !== undefined && typeof spec.column !== 'string') errors.push({ field: `${f}.column`, message: 'column must be a column name' });
        if (spec.template !== undefined && typeof spec.template !== 'string') errors.push({ field: `${f}.template`, message: 'template must be text with {column} placeholders' });
        if (spec.options !== undefined && !isJsonObject(spec.options)) errors.push({ field: `${f}.options`, message: 'options must be an object' });
        if (spec.required !== undefined && typeof spec.required !== 'boolean') errors.push({ field: `${f}.required`, message: 'required must be true or false' });
      }
      for (const m of (t.match as string[]) ?? []) {
        if (isJsonObject(t.fields) && !Object.hasOwn(t.fields, m)) errors.push({ field: `${at}.match`, message: `match field ${m} is not mapped` });
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
 * What a field holds, as far as a mapping can tell: one value, a list of values, an object, a list
 * of objects, or free-form (validated by a rule of its own, such as translations: paths below it are
 * not checked, row validation is).
 */
export type FieldShape = 'scalar' | 'scalars' | 'object' | 'objects' | 'free';

/** Rules that check one value (a text, a date, an address, a choice): a field with one of them holds a value, not an object. */
const SCALAR_RULES = new Set(['isString', 'isIn', 'isUrl', 'isEmail', 'isBoolean', 'isIso8601', 'isUUID', 'isInt', 'isNumber', 'isEnum', 'matches']);

function fieldShape(dto: Type<object>, field: string, nested: Type<object> | undefined): FieldShape {
  const rules = getMetadataStorage()
    .getTargetValidationMetadatas(dto, '', true, false)
    .filter((m) => m.propertyName === field)
    .map((m) => m.name ?? m.type);
  if (rules.includes('isArray')) return nested ? 'objects' : 'scalars';
  if (nested) return 'object';
  return rules.some((r) => SCALAR_RULES.has(r)) ? 'scalar' : 'free';
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
 * What a field path names in the target (walking the DTOs), or why it names nothing the target has:
 * its first unknown name (where, and what is allowed there), a name below a single value or a list
 * of values, a name in a list without an index, an index into what is not a list.
 */
export function fieldAt(target: TableMapping['target'], path: string): { shape: FieldShape; dto?: Type<object>; error?: undefined } | { error: string } {
  let dto: Type<object> | undefined = targetDto(target);
  let shape: FieldShape = 'object';
  const at: string[] = [];
  for (const segment of path.split('.')) {
    const here = at.join('.');
    if (shape === 'free') return { shape };
    if (/^\d+$/.test(segment)) {
      if (shape === 'objects') shape = 'object';
      else if (shape === 'scalars') shape = 'scalar';
      else return { error: `${here || 'a row'} is not a list, so it has no item ${segment}` };
    } else if (shape === 'scalar') {
      return { error: `${here} holds a single value, so it has no field ${JSON.stringify(segment)}` };
    } else if (shape === 'scalars') {
      return { error: `${here} is a list of values, so it has no field ${JSON.stringify(segment)}` };
    } else if (shape === 'objects') {
      return { error: `${here} is a list: name one of its items (${here}.0.${segment})` };
    } else {
      const fields = dtoFields(dto!);
      if (!fields.includes(segment)) {
        const where = at.length ? ` in ${here}` : '';
        const noun = target === 'organisation' ? 'organisation' : KINDS[target as EntryKind].label;
        return { error: `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun} has no field ${JSON.stringify(segment)}${where}; the fields there are ${fields.join(', ')}` };
      }
      const nested = nestedDto(dto!, segment);
      shape = fieldShape(dto!, segment, nested);
      dto = nested;
    }
    at.push(segment);
  }
  return { shape, dto };
}

/** Why a field path names nothing the target has, or undefined when it does (whatever it holds). */
export function unknownField(target: TableMapping['target'], path: string): string | undefined {
  return fieldAt(target, path).error;
}

const SHAPE_NOUNS: Record<Exclude<FieldShape, 'free'>, string> = { scalar: 'one value', scalars: 'a list of values', object: 'an object', objects: 'a list of objects' };

/** What a field's source gives: a constant's own shape, a template's text, a transform's result; undefined when it may be anything (JSON). */
function sourceShape(spec: FieldSpec): Exclude<FieldShape, 'free'> | undefined {
  if (typeof spec === 'string') return TRANSFORM_SHAPES.text;
  if (spec.value !== undefined) {
    const v = spec.value;
    if (!Array.isArray(v)) return isJsonObject(v) ? 'object' : 'scalar';
    if (v.length && v.every(isJsonObject)) return 'objects';
    return v.length && !v.some((x) => x && typeof x === 'object') ? 'scalars' : undefined;
  }
  if (spec.template !== undefined) return 'scalar';
  const transform = spec.transform ?? 'text';
  return Object.hasOwn(TRANSFORM_SHAPES, transform) ? TRANSFORM_SHAPES[transform] : undefined;
}

/**
 * Why a field path cannot take what its source gives (a column's text into a list of objects, a
 * list into a name...), or undefined when it can. Such a mapping would fail every row.
 */
export function fieldPathProblem(target: TableMapping['target'], path: string, spec: FieldSpec): string | undefined {
  const at = fieldAt(target, path);
  if (at.error !== undefined) return at.error;
  const given = sourceShape(spec);
  if (at.shape === 'free' || given === undefined || given === at.shape) return undefined;
  const source = typeof spec === 'string' || (spec.value === undefined && spec.template === undefined) ? `the ${(typeof spec === 'object' && spec.transform) || 'text'} transform` : spec.value !== undefined ? 'the value' : 'the template';
  const first = at.dto ? dtoFields(at.dto).find((f) => f !== 'id') : undefined;
  const hint =
    at.shape === 'object' ? `; map columns to its fields (${path}.${first}), or read it from a JSON cell (transform json)`
    : at.shape === 'objects' ? `; map columns to the fields of one item (${path}.0.${first}), or read the list from a JSON cell (transform json)`
    : at.shape === 'scalars' ? '; split the cell with the list transform'
    : '';
  return `${path} takes ${SHAPE_NOUNS[at.shape]}, but ${source} gives ${SHAPE_NOUNS[given]}${hint}`;
}
