import type { EntryKind } from './entry.entity';
import type { EntryValues } from './catalogue.repository';

/**
 * Recommended fields per kind: what a developer or citizen needs to use the entry. The completeness
 * score is the share of them that are filled, 0–100. Documented in the API (GET /reports/quality).
 */
export const RECOMMENDED_FIELDS: Record<EntryKind, readonly string[]> = {
  system: ['description', 'owner', 'themes', 'contacts', 'links', 'legalBasis', 'homepage', 'interfaces', 'personalData', 'licence'],
  dataset: [
    'description', 'owner', 'themes', 'contacts', 'legalBasis', 'datasetType', 'accessRights', 'licence', 'updateFrequency',
    'spatialCoverage', 'dataElements', 'distributions',
  ],
  eservice: [
    'description', 'owner', 'themes', 'contacts', 'legalBasis', 'audience', 'channels', 'evidence', 'output', 'processingTime', 'fee',
    'authenticationLevel', 'languages',
  ],
};

export interface Quality {
  score: number;
  missing: string[];
}

function filled(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim().length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** Completeness of stored values against the kind's recommended fields. */
export function assessQuality(kind: EntryKind, v: EntryValues): Quality {
  const fields: Record<string, unknown> = {
    description: v.description,
    owner: v.ownerId,
    themes: v.themes,
    tags: v.tags,
    contacts: v.contacts,
    links: v.links,
    legalBasis: v.legalBasis,
    ...v.details,
  };
  const recommended = RECOMMENDED_FIELDS[kind];
  const missing = recommended.filter((f) => !filled(fields[f]));
  return { score: Math.round((100 * (recommended.length - missing.length)) / recommended.length), missing };
}
