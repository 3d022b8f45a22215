import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { RELATION_TYPES } from './relation-types';

export class RelationTypeDto {
  @ApiProperty({ example: 'hosts' }) type: string;
  @ApiProperty({ example: 'hostedBy' }) inverse: string;
  @ApiProperty({ description: 'Allowed [source kind, target kind] pairs', example: [['system', 'dataset']] }) pairs: string[][];
  @ApiProperty({ description: 'The source stops when the target is down (impact graph)' }) sourceDependsOnTarget: boolean;
  @ApiProperty({ description: 'The target stops when the source is down (impact graph)' }) targetDependsOnSource: boolean;
  @ApiProperty() description: string;
}

@ApiTags('relations')
@Controller('relation-types')
export class RelationTypesController {
  @Get()
  @ApiOperation({ summary: 'The relation vocabulary: names, inverse names, allowed kinds and how outages travel' })
  @ApiOkResponse({ type: RelationTypeDto, isArray: true })
  list(): RelationTypeDto[] {
    return RELATION_TYPES.map((t) => ({ ...t, pairs: t.pairs.map((p) => [...p]) }));
  }
}
