import { randomUUID } from 'node:crypto';
import { COLUMN_FIELDS, KindDefinition } from './kind-definition';
import type { EntryRow, EntryValues } from './catalogue.repository';

/** Link type whose links are internal (restricted). */
export const INTERNAL_LINK_TYPE = 'internal';

/**
 * Removes what DESIGN §5 restricts to the owner's members, reviewers and coordinators: the kind's
 * restricted fields, the completeness score (`quality`, a note for those who edit the entry), named
 * people among the contacts (functional mailboxes stay: a contact without a name), and internal links. The one place restricted fields are taken out; used for entries and
 * for the before/after values in history.
 */
export function redactRestricted(restrictedFields: readonly string[], doc: Record<string, unknown>): Record<string, unknown> {
  const out = { ...doc };
  for (const f of restrictedFields) delete out[f];
  delete out.quality;
  if (Array.isArray(out.contacts)) out.contacts = out.contacts.filter((c) => !(c && typeof c === 'object' && (c as { name?: unknown }).name));
  if (Array.isArray(out.links)) out.links = out.links.filter((l) => !(l && typeof l === 'object' && (l as { type?: unknown }).type === INTERNAL_LINK_TYPE));
  return out;
}

/**
 * The shape of an entry: catalogue-maintained fields first, then the kind's fields. Restricted
 * fields are left out unless `restricted` says the caller may see them.
 */
export function toEntryResponse(row: EntryRow, def?: Pick<KindDefinition, 'restrictedFields'>, showRestricted = false): Record<string, unknown> {
  const doc = toFullResponse(row);
  return showRestricted ? doc : redactRestricted(def?.restrictedFields ?? [], doc);
}

function toFullResponse(row: EntryRow): Record<string, unknown> {
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
  response.quality = { score: row.quality_score, missing: row.quality_missing };
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

/** Splits a validated DTO into stored values: shared fields into columns, the rest into `details`. Items get their ids in `withItemIds`. */
export function toValues(dto: Record<string, unknown>, ownerId: string | null, defaultOperationalStatus: string): EntryValues {
  const plain = JSON.parse(JSON.stringify(dto)) as Record<string, unknown>;
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

/** The item lists of stored values (every top-level array of objects: contacts, links, interfaces, evidence...). */
function itemsOf(v: EntryValues): unknown[] {
  return [v.contacts, v.links, v.legalBasis, ...Object.values(v.details)].filter(Array.isArray).flat();
}

/**
 * Gives every item (an object inside a top-level array) its id. Other records point at items by id
 * (relations name the interface they use), so an id is unique in the catalogue: an item keeps an id
 * only if the entry already held it (`before`, the stored values of this entry) and only once; a new
 * item, or one carrying an id copied from elsewhere, gets a new one.
 */
export function withItemIds(values: EntryValues, before?: EntryValues): EntryValues {
  const held = new Set(before ? itemsOf(before).map((i) => (i && typeof i === 'object' ? (i as { id?: unknown }).id : undefined)) : []);
  const used = new Set<unknown>();
  for (const item of itemsOf(values)) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) continue;
    const it = item as { id?: unknown };
    if (it.id === undefined || !held.has(it.id) || used.has(it.id)) it.id = randomUUID();
    used.add(it.id);
  }
  return values;
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
