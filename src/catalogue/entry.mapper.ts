import { randomUUID } from 'node:crypto';
import { COLUMN_FIELDS } from './kind-definition';
import type { Viewer } from '../auth/principal';
import type { EntryRow, EntryValues } from './catalogue.repository';

/** Whether the viewer edits this entry (owner member or coordinator): they see its quality score. */
export function canSeeQuality(row: EntryRow, viewer?: Viewer): boolean {
  return !!viewer && (viewer.seesAll || (!!row.owner_id && viewer.memberOf.includes(row.owner_id)));
}

/**
 * The public shape of an entry: catalogue-maintained fields first, then the kind's fields. Owners and
 * coordinators also get `quality` (completeness score and missing recommended fields).
 */
export function toEntryResponse(row: EntryRow, viewer?: Viewer): Record<string, unknown> {
  const response: Record<string, unknown> = {
    id: row.id,
    code: row.code,
    kind: row.kind,
    name: row.name,
    description: row.description,
    owner: row.owner_code ? { code: row.owner_code, name: row.owner_name } : null,
    lifecycleStatus: row.lifecycle_status,
    operationalStatus: row.operational_status,
    tags: row.tags,
    themes: row.themes,
    contacts: row.contacts,
    links: row.links,
    legalBasis: row.legal_basis,
    translations: row.translations,
    source: row.source,
    ...row.details,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    publishedAt: row.published_at ? iso(row.published_at) : null,
  };
  if (canSeeQuality(row, viewer)) response.quality = { score: row.quality_score, missing: row.quality_missing };
  return response;
}

function iso(d: Date | string): string {
  return d instanceof Date ? d.toISOString() : new Date(d).toISOString();
}

/** The entry as its owner would write it: the document a merge patch applies to. */
export function toWritable(row: EntryRow): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    name: row.name,
    description: row.description,
    owner: row.owner_code ?? undefined,
    operationalStatus: row.operational_status,
    tags: row.tags,
    themes: row.themes,
    contacts: row.contacts,
    links: row.links,
    legalBasis: row.legal_basis,
    translations: row.translations,
    source: row.source ?? undefined,
    ...row.details,
  };
  for (const k of Object.keys(doc)) if (doc[k] === undefined || doc[k] === null) delete doc[k];
  return doc;
}

/**
 * Splits a validated DTO into stored values: shared fields into columns, the rest into `details`.
 * Every object inside a top-level array is an item and gets an id when it has none.
 */
export function toValues(dto: Record<string, unknown>, ownerId: string | null, defaultOperationalStatus: string): EntryValues {
  const plain = JSON.parse(JSON.stringify(dto)) as Record<string, unknown>;
  for (const value of Object.values(plain)) {
    if (Array.isArray(value)) {
      for (const item of value) {
        if (item && typeof item === 'object' && !Array.isArray(item) && !(item as { id?: string }).id) {
          (item as { id?: string }).id = randomUUID();
        }
      }
    }
  }
  const details: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(plain)) {
    if (!(COLUMN_FIELDS as readonly string[]).includes(k) && v !== undefined && v !== null) details[k] = v;
  }
  return {
    name: String(plain.name).trim(),
    description: (plain.description as string) ?? '',
    ownerId,
    operationalStatus: (plain.operationalStatus as string) ?? defaultOperationalStatus,
    tags: dedupe((plain.tags as string[]) ?? []),
    themes: dedupe((plain.themes as string[]) ?? []),
    contacts: (plain.contacts as unknown[]) ?? [],
    links: (plain.links as unknown[]) ?? [],
    legalBasis: (plain.legalBasis as unknown[]) ?? [],
    translations: (plain.translations as Record<string, unknown>) ?? {},
    source: (plain.source as Record<string, unknown>) ?? null,
    details,
  };
}

function dedupe(values: string[]): string[] {
  return [...new Set(values.map((v) => v.trim()).filter(Boolean))];
}

/** Stored values of an existing row, to diff against new ones. */
export function valuesOf(row: EntryRow): EntryValues {
  return {
    name: row.name,
    description: row.description,
    ownerId: row.owner_id,
    operationalStatus: row.operational_status,
    tags: row.tags,
    themes: row.themes,
    contacts: row.contacts,
    links: row.links,
    legalBasis: row.legal_basis,
    translations: row.translations,
    source: row.source,
    details: row.details,
  };
}
