import type { Type } from '@nestjs/common';
import type { EntryKind } from './entry.entity';
import type { EntryFieldsDto } from './dto/entry-fields.dto';

/** Items of `field` that name another entry of `kind`, by code or uuid, in `key` (e.g. evidence → dataset). */
export interface EntryReference {
  field: string;
  key: string;
  kind: EntryKind;
}

/**
 * What makes a kind of entry a kind: its URL, code prefix, operational statuses and DTOs.
 * Everything else (lifecycle, ownership, visibility, history, search) is shared in catalogue/.
 */
export interface KindDefinition {
  kind: EntryKind;
  /** URL segment under /api/v1. */
  path: 'systems' | 'datasets' | 'eservices';
  /** Singular label for messages and error codes ("system", "dataset", "e-service"). */
  label: string;
  codePrefix: 'IS' | 'DS' | 'PS';
  sequence: 'system_code_seq' | 'dataset_code_seq' | 'eservice_code_seq';
  operationalStatuses: readonly string[];
  defaultOperationalStatus: string;
  /** Validates a whole entry as written (POST body, or the result of a merge patch). */
  createDto: Type<EntryFieldsDto & { operationalStatus?: string }>;
  patchDto: Type<object>;
  responseDto: Type<object>;
  /**
   * Kind fields shown only to members of the owner organisation, reviewers and coordinators
   * (DESIGN §5). Named contacts and `internal` links are restricted for every kind (entry.mapper.ts).
   */
  restrictedFields: readonly string[];
  /**
   * Where this kind names other entries. A caller who may not see the named entry is not shown the
   * name either (DESIGN §5: an entry the caller may not see is absent everywhere); entry-references.ts.
   */
  references?: readonly EntryReference[];
}

/** Entry fields that are table columns; every other field of a kind's DTO is stored in `details`. */
export const COLUMN_FIELDS = ['name', 'description', 'owner', 'operationalStatus', 'tags', 'themes', 'contacts', 'links', 'legalBasis', 'translations', 'source'] as const;
