import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { EntryController } from '../catalogue/entry-controller.factory';
import { ESERVICE_KIND } from './eservice.kind';

@ApiTags('eservices')
@Controller(ESERVICE_KIND.path)
export class EServicesController extends EntryController(ESERVICE_KIND) {}
