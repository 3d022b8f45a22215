import { HttpStatus } from '@nestjs/common';
import { DomainError } from './domain-error';

/** ETags are the entity version, quoted: "3". Weak tags (W/"3") are accepted as the same version. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * Reads If-Match for a state change. Missing: 428. A list of tags or `*` is refused: a writer must
 * say which version it read, so two writers holding the same version cannot both win.
 */
export function requireIfMatch(header: string | string[] | undefined): number {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined || raw.trim() === '') {
    throw new DomainError(HttpStatus.PRECONDITION_REQUIRED, 'IF_MATCH_REQUIRED', 'This change needs an If-Match header with the ETag you read (GET the resource first)');
  }
  const m = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(raw) ?? /^\s*(\d{1,9})\s*$/.exec(raw);
  if (!m) {
    throw DomainError.badRequest('IF_MATCH_INVALID', `If-Match must be one ETag such as "3", got ${JSON.stringify(raw.slice(0, 100))}`);
  }
  return Number(m[1]);
}

export function staleVersion(current: number, expected: number): DomainError {
  return new DomainError(HttpStatus.PRECONDITION_FAILED, 'VERSION_MISMATCH', `The resource changed: you sent version ${expected}, it is now at version ${current}. GET it again and reapply your change`);
}
