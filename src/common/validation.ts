import { ValidationError, ValidationPipe } from '@nestjs/common';
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

export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
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
  const instance = plainToInstance(cls, plain);
  const errors = validateSync(instance, VALIDATOR_OPTIONS);
  if (errors.length) throw DomainError.validation(flattenErrors(errors));
  return instance;
}
