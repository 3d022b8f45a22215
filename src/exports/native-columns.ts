import type { EntryKind } from '../catalogue/entry.entity';
import type { ImportMapping, TableMapping } from '../imports/mapping';

/** How a field is written in a CSV cell, and read back by the import transform of the same name. */
export type CellType = 'text' | 'list' | 'boolean' | 'json';

export interface NativeColumn {
  column: string;
  field: string;
  type: CellType;
}

const SHARED: NativeColumn[] = [
  { column: 'name', field: 'name', type: 'text' },
  { column: 'description', field: 'description', type: 'text' },
  { column: 'owner', field: 'owner', type: 'text' },
  { column: 'operational_status', field: 'operationalStatus', type: 'text' },
  { column: 'tags', field: 'tags', type: 'list' },
  { column: 'themes', field: 'themes', type: 'list' },
  { column: 'contacts', field: 'contacts', type: 'json' },
  { column: 'links', field: 'links', type: 'json' },
  { column: 'legal_basis', field: 'legalBasis', type: 'json' },
  { column: 'translations', field: 'translations', type: 'json' },
];

/**
 * The native CSV columns of each kind: the CSV export writes them and the `catalogue-native` import
 * mapping reads them, so an export imports back unchanged. Lists are `;`-separated; items and
 * objects are JSON. Restricted fields (hosting, technologies, security levels) have no column.
 */
export const NATIVE_COLUMNS: Record<EntryKind, NativeColumn[]> = {
  system: [
    ...SHARED,
    { column: 'homepage', field: 'homepage', type: 'text' },
    { column: 'personal_data', field: 'personalData', type: 'text' },
    { column: 'reusable', field: 'reusable', type: 'boolean' },
    { column: 'source_code_url', field: 'sourceCodeUrl', type: 'text' },
    { column: 'licence', field: 'licence', type: 'text' },
    { column: 'in_production_since', field: 'inProductionSince', type: 'text' },
    { column: 'decommissioned_on', field: 'decommissionedOn', type: 'text' },
    { column: 'xroad_subsystem', field: 'xroadSubsystem', type: 'json' },
    { column: 'interfaces', field: 'interfaces', type: 'json' },
  ],
  dataset: [
    ...SHARED,
    { column: 'dataset_type', field: 'datasetType', type: 'text' },
    { column: 'authoritative_source', field: 'authoritativeSource', type: 'boolean' },
    { column: 'access_rights', field: 'accessRights', type: 'text' },
    { column: 'licence', field: 'licence', type: 'text' },
    { column: 'update_frequency', field: 'updateFrequency', type: 'text' },
    { column: 'spatial_coverage', field: 'spatialCoverage', type: 'text' },
    { column: 'temporal_coverage', field: 'temporalCoverage', type: 'json' },
    { column: 'personal_data', field: 'personalData', type: 'text' },
    { column: 'data_elements', field: 'dataElements', type: 'json' },
    { column: 'distributions', field: 'distributions', type: 'json' },
  ],
  eservice: [
    ...SHARED,
    { column: 'audience', field: 'audience', type: 'list' },
    { column: 'channels', field: 'channels', type: 'json' },
    { column: 'fee', field: 'fee', type: 'text' },
    { column: 'processing_time', field: 'processingTime', type: 'text' },
    { column: 'evidence', field: 'evidence', type: 'json' },
    { column: 'output', field: 'output', type: 'text' },
    { column: 'life_events', field: 'lifeEvents', type: 'list' },
    { column: 'authentication_level', field: 'authenticationLevel', type: 'text' },
    { column: 'languages', field: 'languages', type: 'list' },
    { column: 'service_url', field: 'serviceUrl', type: 'text' },
  ],
};

/** The column that tells the kinds' files apart, besides code and name. */
const DETECT: Record<EntryKind, string> = { system: 'interfaces', dataset: 'distributions', eservice: 'channels' };
const TABLE: Record<EntryKind, string> = { system: 'systems', dataset: 'datasets', eservice: 'eservices' };

/** The `catalogue-native` import mapping, derived from the same column table as the export. */
export function nativeMapping(): ImportMapping {
  const tables: TableMapping[] = (Object.keys(NATIVE_COLUMNS) as EntryKind[]).map((kind) => ({
    name: TABLE[kind],
    target: kind,
    detect: ['code', 'name', DETECT[kind]],
    match: ['owner', 'name'],
    fields: Object.fromEntries(
      NATIVE_COLUMNS[kind].map((c) => [
        c.field,
        c.type === 'text' ? { column: c.column, ...(c.field === 'name' ? { required: true } : {}) } : { column: c.column, transform: c.type, ...(c.type === 'list' ? { options: { separator: ';' } } : {}) },
      ]),
    ),
  }));
  return {
    name: 'catalogue-native',
    description: 'The CSV export of this catalogue (systems.csv, datasets.csv, eservices.csv): one column per field, lists separated by ";", items as JSON.',
    tables,
  };
}
