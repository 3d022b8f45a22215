import type { EntryKind } from './catalogue/entry.entity';
import type { KindDefinition } from './catalogue/kind-definition';
import { DATASET_KIND } from './datasets/dataset.kind';
import { ESERVICE_KIND } from './eservices/eservice.kind';
import { SYSTEM_KIND } from './systems/system.kind';

/** The three kinds of entry, for code that handles all of them (imports, seeding, exports). */
export const KINDS: Record<EntryKind, KindDefinition> = {
  system: SYSTEM_KIND,
  dataset: DATASET_KIND,
  eservice: ESERVICE_KIND,
};
