import { DomainError } from './domain-error';

/** Sort key for names: lower case, accents removed (both databases sort with C collation). */
export function sortKey(value: string): string {
  return value.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().trim();
}

/** A JSON object: not null, not a list. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 7396 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return patch;
  const result: Record<string, unknown> = isJsonObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** Deep equality for JSON values (revision diffs, import idempotence). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v instanceof Date) return v.toISOString();
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v as object)
        .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/**
 * An uploaded file's bytes as text, decoded strictly (a byte-order mark is dropped): a file that is
 * not UTF-8 is refused as `code`, naming the file and the line. The bad byte itself is not quoted:
 * it is not text, and decoded leniently it would only show as U+FFFD.
 */
export function decodeUtf8File(file: { filename: string; content: Buffer }, code: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(file.content);
  } catch {
    throw DomainError.badRequest(code, `${file.filename} is not UTF-8 text (line ${lineOfFirstBadByte(file.content)}): save it as UTF-8 and import it again`);
  }
}

/** The line (from 1) holding the first byte that is not valid UTF-8 (a line break is never inside a character). */
function lineOfFirstBadByte(content: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  for (let start = 0; start < content.length; line++) {
    const end = content.indexOf(0x0a, start);
    try {
      decoder.decode(content.subarray(start, end < 0 ? content.length : end));
    } catch {
      return line;
    }
    if (end < 0) break;
    start = end + 1;
  }
  return line;
}
