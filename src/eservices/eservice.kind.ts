import type { KindDefinition } from '../catalogue/kind-definition';
import { CreateEServiceDto, ESERVICE_OPERATIONAL_STATUSES, EServiceDto, PatchEServiceDto } from './eservice.dto';

export const ESERVICE_KIND: KindDefinition = {
  kind: 'eservice',
  path: 'eservices',
  label: 'e-service',
  codePrefix: 'PS',
  sequence: 'eservice_code_seq',
  operationalStatuses: ESERVICE_OPERATIONAL_STATUSES,
  defaultOperationalStatus: 'planned',
  createDto: CreateEServiceDto,
  patchDto: PatchEServiceDto,
  responseDto: EServiceDto,
  restrictedFields: [],
  references: [{ field: 'evidence', key: 'dataset', kind: 'dataset' }],
};
