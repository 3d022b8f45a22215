import { HttpStatus } from '@nestjs/common';
import { DomainError } from './domain-error';

/** ETags are the entity version, quoted: "3". They are strong: the app never sends a weak tag (W/"3"). */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * Reads If-Match for a state change: the version the writer read, or undefined for `*`. Missing: 428.
 * `*` is true whenever the resource exists (RFC 9110 §13.1.1), so it asks for no particular version: a
 * writer who sends it says on purpose that it may overwrite whatever is current (a missing resource is
 * 404 as always). A list of tags is refused: a writer names the one version it read, so two writers
 * holding the same version cannot both win. If-Match uses the strong comparison: a weak tag never
 * matches, so it is 412 like a stale one.
 */
export function requireIfMatch(header: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined || raw.trim() === '') {
    throw new DomainError(HttpStatus.PRECONDITION_REQUIRED, 'IF_MATCH_REQUIRED', 'This change needs an If-Match header with the ETag you read (GET the resource first)');
  }
  if (raw.trim() === '*') return undefined;
  if (/^\s*W\/"\d{1,9}"\s*$/.test(raw)) {
    throw new DomainError(HttpStatus.PRECONDITION_FAILED, 'IF_MATCH_WEAK', `If-Match compares strongly and a weak ETag never matches: send the ETag as you read it (${raw.trim().slice(2)}), without W/`);
  }
  const m = /^\s*"(\d{1,9})"\s*$/.exec(raw) ?? /^\s*(\d{1,9})\s*$/.exec(raw);
  if (!m) {
    throw DomainError.badRequest('IF_MATCH_INVALID', `If-Match must be one ETag such as "3", or *, got ${JSON.stringify(raw.slice(0, 100))}`);
  }
  return Number(m[1]);
}

/** 412 unless the version just read is the one If-Match named; undefined (`*`) matches any. */
export function assertVersion(current: number, expected: number | undefined): void {
  if (expected !== undefined && current !== expected) throw staleVersion(current, expected);
}

export function staleVersion(current: number, expected: number): DomainError {
  return new DomainError(HttpStatus.PRECONDITION_FAILED, 'VERSION_MISMATCH', `The resource changed: you sent version ${expected}, it is now at version ${current}. GET it again and reapply your change`);
}
