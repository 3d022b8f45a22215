import type { KindDefinition } from '../catalogue/kind-definition';
import { CreateSystemDto, PatchSystemDto, SYSTEM_OPERATIONAL_STATUSES, SystemDto } from './system.dto';

export const SYSTEM_KIND: KindDefinition = {
  kind: 'system',
  path: 'systems',
  label: 'system',
  codePrefix: 'IS',
  sequence: 'system_code_seq',
  operationalStatuses: SYSTEM_OPERATIONAL_STATUSES,
  defaultOperationalStatus: 'planned',
  createDto: CreateSystemDto,
  patchDto: PatchSystemDto,
  responseDto: SystemDto,
  restrictedFields: ['hosting', 'technologies', 'securityLevels'],
};
