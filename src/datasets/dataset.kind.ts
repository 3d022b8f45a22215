import type { KindDefinition } from '../catalogue/kind-definition';
import { CreateDatasetDto, DATASET_OPERATIONAL_STATUSES, DatasetDto, PatchDatasetDto } from './dataset.dto';

export const DATASET_KIND: KindDefinition = {
  kind: 'dataset',
  path: 'datasets',
  label: 'dataset',
  codePrefix: 'DS',
  sequence: 'dataset_code_seq',
  operationalStatuses: DATASET_OPERATIONAL_STATUSES,
  defaultOperationalStatus: 'planned',
  createDto: CreateDatasetDto,
  patchDto: PatchDatasetDto,
  responseDto: DatasetDto,
  restrictedFields: [],
};
