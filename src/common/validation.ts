import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance, ClassConstructor } from 'class-transformer';
import { validateSync, ValidatorOptions } from 'class-validator';
import { DomainError, FieldError } from './domain-error';

const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
};

/** Flattens class-validator's tree into one entry per bad field, with dotted paths (`interfaces.0.type`). */
export function flattenErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = parent ? `${parent}.${e.property}` : e.property;
    if (e.constraints) {
      for (const message of Object.values(e.constraints)) {
        out.push({ field, message: message.replace(/^property (\S+) should not exist$/, 'unknown property $1') });
      }
    }
    if (e.children?.length) out.push(...flattenErrors(e.children, field));
  }
  return out;
}

/** U+0000, or half of a surrogate pair (JSON can say "\ud800"): neither PostgreSQL text nor jsonb can hold them. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Strings (and keys) the database cannot store, as field errors: they are refused as bad input,
 * naming the field, before they reach the database.
 */
export function unstorableTextErrors(value: unknown, path = ''): FieldError[] {
  const message = (field: string) => `${field || 'the value'} must be Unicode text without NUL characters or lone surrogates`;
  if (typeof value === 'string') return UNSTORABLE.test(value) ? [{ field: path, message: message(path) }] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => unstorableTextErrors(v, path ? `${path}.${i}` : String(i)));
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => {
      const field = path ? `${path}.${key}` : key;
      return UNSTORABLE.test(key) ? [{ field, message: message(field) }] : unstorableTextErrors(v, field);
    });
  }
  return [];
}

/** Also checks path parameters, query strings and bodies for text the database cannot hold. */
class CatalogueValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const errors = unstorableTextErrors(value, metadata.type === 'param' ? (metadata.data ?? '') : '');
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
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    throw DomainError.validation([{ field: '', message: 'the body must be a JSON object' }]);
  }
  const unstorable = unstorableTextErrors(plain);
  if (unstorable.length) throw DomainError.validation(unstorable);
  const instance = plainToInstance(cls, plain);
  const errors = validateSync(instance, VALIDATOR_OPTIONS);
  if (errors.length) throw DomainError.validation(flattenErrors(errors));
  return instance;
}
