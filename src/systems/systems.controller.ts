import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { EntryController } from '../catalogue/entry-controller.factory';
import { SYSTEM_KIND } from './system.kind';

@ApiTags('systems')
@Controller(SYSTEM_KIND.path)
export class SystemsController extends EntryController(SYSTEM_KIND) {}
