import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { EntryController } from '../catalogue/entry-controller.factory';
import { DATASET_KIND } from './dataset.kind';

@ApiTags('datasets')
@Controller(DATASET_KIND.path)
export class DatasetsController extends EntryController(DATASET_KIND) {}
