import { ArgumentMetadata, ParseEnumPipe, ParseUUIDPipe, ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance, ClassConstructor } from 'class-transformer';
import { validateSync, ValidatorOptions } from 'class-validator';
import { DomainError, FieldError } from './domain-error';
import { withoutEmptyOptionals } from './query-params';

const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
};

/** class-validator rules that check a value's type (the names of their constraints). */
const TYPE_RULES = new Set(['isString', 'isInt', 'isNumber', 'isBoolean', 'isObject', 'isArray']);
/** Of those and the rules on allowed values, the ones a repeated query parameter (`?q=a&q=b`, an array) breaks. */
const SCALAR_RULES = new Set(['isString', 'isInt', 'isNumber', 'isBoolean', 'isIn', 'isEnum']);

/** Flattens class-validator's tree into one entry per bad field, with dotted paths (`interfaces.0.type`). */
export function flattenErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = parent ? `${parent}.${e.property}` : e.property;
    if (e.constraints && e.value === undefined) {
      // Absent, not wrong: one message saying so instead of one per rule the missing value breaks.
      out.push({ field, message: `${e.property} is required` });
    } else if (e.constraints) {
      // A value of the wrong type breaks every rule about its contents too: say only what type it must be.
      const typeRules = Object.keys(e.constraints).filter((rule) => TYPE_RULES.has(rule));
      const rules = typeRules.length ? typeRules : Object.keys(e.constraints);
      // (A rule checked on each item of a list field says "each value in…": that field is a list.)
      const repeated = Array.isArray(e.value) && Object.entries(e.constraints).some(([rule, message]) => SCALAR_RULES.has(rule) && !message.startsWith('each value in'));
      const messages = repeated ? [`${e.property} must be a single value, given once`] : rules.map((rule) => e.constraints![rule]);
      for (const message of messages) {
        out.push({ field, message: message.replace(/^property (\S*) should not exist$/, (_, name: string) => (name ? `unknown property ${name}` : 'a property or parameter must have a name')) });
      }
    }
    if (e.children?.length) out.push(...flattenErrors(e.children, field));
  }
  return out;
}

/** U+0000, or half of a surrogate pair (JSON can say "\ud800"): neither PostgreSQL text nor jsonb can hold them. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Keys no JSON the API reads may use: the names every object inherits from Object.prototype
 * (`constructor`, `__proto__`, `toString`, `hasOwnProperty`...) and `prototype`. Code reading a
 * document by key (class-transformer, `obj[key]` lookups) would find the inherited member instead of
 * the data, or set the object's prototype; no field, language code or mapping path is named so, so
 * such a key is refused as bad input, naming its path, instead of being dropped or crashing.
 */
export const RESERVED_KEYS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** Why a key of a JSON document is refused, or undefined when it is fine. */
export function reservedKeyMessage(key: string): string | undefined {
  return RESERVED_KEYS.has(key) ? `${JSON.stringify(key)} is a reserved name (a member of every JavaScript object) and cannot be used as a key` : undefined;
}

/**
 * What any JSON the API reads (a body, a row's document, an X-Road item, a mapping) may not hold, as
 * field errors: text (or keys) the database cannot store, which would abort the statement, and
 * reserved keys (RESERVED_KEYS). Walks with its own stack, not the call stack, so no depth of nesting
 * can overflow it; lists may have holes (a mapping that sets only `tags.1`). `text: false` checks keys
 * only, for input whose text is checked later under the catalogue's own field names (X-Road items).
 */
export function jsonInputErrors(value: unknown, path = '', { text = true } = {}): FieldError[] {
  const unstorable = (field: string) => `${field || 'the value'} must be Unicode text without NUL characters or lone surrogates`;
  const out: FieldError[] = [];
  const stack: [unknown, string][] = [[value, path]];
  while (stack.length) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'string') {
      if (text && UNSTORABLE.test(v)) out.push({ field: at, message: unstorable(at) });
    } else if (v && typeof v === 'object') {
      // Own enumerable entries, lists included (their indexes as keys): holes are skipped, never read as undefined.
      const entries = Object.entries(v as Record<string, unknown>);
      // Pushed in reverse so that errors come out in document order.
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, item] = entries[i];
        const field = at ? `${at}.${key}` : key;
        const reserved = Array.isArray(v) ? undefined : reservedKeyMessage(key);
        if (text && UNSTORABLE.test(key)) out.push({ field, message: unstorable(field) });
        else if (reserved) out.push({ field, message: reserved });
        else stack.push([item, field]);
      }
    }
  }
  return out;
}

/**
 * How deeply a JSON body may nest arrays and objects. The deepest documents the API defines nest
 * about 5 levels (an entry's translations, an import mapping's columns); 32 leaves room and keeps
 * every walk over a body cheap.
 */
export const MAX_JSON_DEPTH = 32;

/** Refuses JSON text nested deeper than MAX_JSON_DEPTH, by one scan of the text before it is parsed. */
export function assertJsonDepth(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) throw DomainError.badRequest('JSON_TOO_DEEP', `The JSON body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`);
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
}

/** A request body, when there is one, is a JSON object: never an array, a string, a number, true or null. */
export function assertObjectBody(body: unknown, what = 'the body'): asserts body is Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw DomainError.validation([{ field: '', message: `${what} must be a JSON object` }]);
  }
}

/**
 * Also checks path parameters, query strings and bodies for text the database cannot hold and reserved
 * keys (jsonInputErrors), and that a
 * body, if sent, is an object (ValidationPipe lets a string, a number or `[]` through unvalidated).
 * Optional query parameters sent empty count as not given (withoutEmptyOptionals).
 */
class CatalogueValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && value !== undefined) assertObjectBody(value);
    if (metadata.type === 'query' && metadata.metatype && value && typeof value === 'object') value = withoutEmptyOptionals(value as Record<string, unknown>, metadata.metatype);
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const errors = jsonInputErrors(value, metadata.type === 'param' ? (metadata.data ?? '') : '');
      if (errors.length) throw DomainError.validation(errors);
    }
    return super.transform(value, metadata);
  }
}

export function validationPipe(): ValidationPipe {
  return new CatalogueValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => DomainError.validation(flattenErrors(errors)),
  });
}

/** Validates a plain object (e.g. an entry after a merge patch) against a DTO class, or throws 400. */
export function validatePlain<T extends object>(cls: ClassConstructor<T>, plain: unknown): T {
  assertObjectBody(plain);
  const refused = jsonInputErrors(plain);
  if (refused.length) throw DomainError.validation(refused);
  let instance: T;
  let errors: ValidationError[];
  try {
    instance = plainToInstance(cls, plain);
    errors = validateSync(instance, VALIDATOR_OPTIONS);
  } catch (err) {
    // Defence in depth: the checks above rule out what is known to trip class-transformer (reserved
    // keys); should some other plain JSON still do, it is bad input, not a server error.
    if (!(err instanceof TypeError || err instanceof RangeError)) throw err;
    throw DomainError.validation([{ field: '', message: 'the document has a shape that cannot be read as this kind of object' }]);
  }
  if (errors.length) throw DomainError.validation(flattenErrors(errors));
  return instance;
}

/**
 * A path parameter that is one of `values` (a transition's action, a transfer's decision): anything
 * else is 400 naming the parameter and what is allowed (Nest's own pipe says only
 * "Validation failed (enum string is expected)").
 */
export function pathParamOneOf<T extends string>(name: string, values: readonly T[]): ParseEnumPipe {
  const allowed = Object.fromEntries(values.map((v) => [v, v]));
  return new ParseEnumPipe(allowed, {
    exceptionFactory: () => DomainError.validation([{ field: name, message: `${name} must be one of ${values.join(', ')}` }]),
  });
}

/** A path parameter that is a UUID: anything else is 400 naming the parameter and what it is (Nest's pipe says "uuid is expected"). */
export function pathParamUuid(name: string, what: string): ParseUUIDPipe {
  return new ParseUUIDPipe({ exceptionFactory: () => DomainError.validation([{ field: name, message: `${name} must be ${what} (a UUID)` }]) });
}
