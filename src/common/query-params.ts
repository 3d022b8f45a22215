import { Transform } from 'class-transformer';
import { getMetadataStorage, ValidationTypes } from 'class-validator';

/** Plain decimal digits: no query parameter the API reads is negative, fractional or in another base. */
const DECIMAL_DIGITS = /^[0-9]+$/;

/**
 * Reads an integer query parameter (used with @IsInt, which stays beside it so that the Swagger plugin
 * documents the parameter as an integer). Only plain decimal digits become a number: Number(), which
 * @Type(() => Number) calls, also reads `0x10`, `1e2`, `0b11` and ` 5`, so a typo or a crafted value
 * would pass as some other number. Anything else stays as sent and fails @IsInt, naming the parameter;
 * a repeated parameter stays a list, which the pipe reports as given twice.
 */
export function QueryInt(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' && DECIMAL_DIGITS.test(value) ? Number(value) : value));
}

const optionalsOf = new WeakMap<object, ReadonlySet<string>>();

/** The properties of a DTO class (its parents' included) marked @IsOptional. */
function optionalProperties(dto: abstract new (...args: never[]) => unknown): ReadonlySet<string> {
  let names = optionalsOf.get(dto);
  if (!names) {
    const rules = getMetadataStorage().getTargetValidationMetadatas(dto, '', false, false);
    names = new Set(rules.filter((rule) => rule.type === ValidationTypes.CONDITIONAL_VALIDATION).map((rule) => rule.propertyName));
    optionalsOf.set(dto, names);
  }
  return names;
}

/**
 * An optional query parameter sent empty (`?depth=`, what a form sends for a field left blank) is not
 * given: its default applies, for every parameter alike, where each rule would otherwise read `''` its
 * own way (a 400 for a number or a list of values, a filter matching nothing for `q`). A required
 * parameter keeps its empty value, for its own rule to judge (suggest's `q=` answers no suggestions).
 */
export function withoutEmptyOptionals(query: Record<string, unknown>, dto: abstract new (...args: never[]) => unknown): Record<string, unknown> {
  const optional = optionalProperties(dto);
  const empty = Object.keys(query).filter((name) => query[name] === '' && optional.has(name));
  if (!empty.length) return query;
  return Object.fromEntries(Object.entries(query).filter(([name]) => !empty.includes(name)));
}
