import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentViewer } from '../auth/auth.guard';
import type { Viewer } from '../auth/principal';
import { AddReviewerDto, BulkReassignDto, BulkReassignResultDto, DecideReviewDto, ListReviewsQueryDto, ListTransfersQueryDto, ReviewDto, ReviewPageDto, TransferPageDto } from './dto/workflow.dto';
import { ReviewsService } from './reviews.service';
import { TransfersService } from './transfers.service';
import type { ReviewDecision } from './workflow.entity';

@ApiTags('ownership')
@ApiSecurity('bearer')
@ApiSecurity('apiKey')
@Controller()
export class TransfersController {
  constructor(private readonly transfers: TransfersService) {}

  @Get('transfers')
  @ApiOperation({ summary: 'Transfers and claims involving your organisations (coordinators: all)' })
  @ApiOkResponse({ type: TransferPageDto })
  list(@Query() query: ListTransfersQueryDto, @CurrentViewer() viewer: Viewer) {
    return this.transfers.list(viewer, { ...query, limit: query.limit ?? 20, offset: query.offset ?? 0 });
  }

  @Post('reassignments')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reassign many entries to one owner (coordinators)', description: 'Each entry succeeds or fails on its own; the result lists every entry.' })
  @ApiOkResponse({ type: BulkReassignResultDto })
  bulk(@Body() body: BulkReassignDto, @CurrentViewer() viewer: Viewer) {
    return this.transfers.bulkReassign(body.entries, body.to, body.comment, viewer);
  }
}

@ApiTags('reviews')
@ApiSecurity('bearer')
@ApiSecurity('apiKey')
@Controller('reviews')
export class ReviewsController {
  constructor(private readonly reviews: ReviewsService) {}

  @Get()
  @ApiOperation({ summary: 'Reviews you take part in; ?assigned=me: open reviews waiting for your decision' })
  @ApiOkResponse({ type: ReviewPageDto })
  list(@Query() query: ListReviewsQueryDto, @CurrentViewer() viewer: Viewer) {
    return this.reviews.list(viewer, { ...query, limit: query.limit ?? 20, offset: query.offset ?? 0 });
  }

  @Get(':id')
  @ApiOperation({ summary: 'A review with its decisions and comments (owner members, reviewers, coordinators)' })
  @ApiOkResponse({ type: ReviewDto })
  get(@Param('id') id: string, @CurrentViewer() viewer: Viewer) {
    return this.reviews.get(viewer, id);
  }

  @Post(':id/decisions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record a decision on an open review (assigned reviewers, coordinators)', description: 'Records approve / request_changes / not_reviewed with a comment; publishing or sending back is the approve / request-changes transition.' })
  @ApiOkResponse({ type: ReviewDto })
  decide(@Param('id') id: string, @Body() body: DecideReviewDto, @CurrentViewer() viewer: Viewer) {
    return this.reviews.decide(viewer, id, body.decision as ReviewDecision, body.comment);
  }

  @Post(':id/reviewers')
  @HttpCode(200)
  @ApiOperation({ summary: 'Designate an organisation to review (coordinators)' })
  @ApiOkResponse({ type: ReviewDto })
  addReviewer(@Param('id') id: string, @Body() body: AddReviewerDto, @CurrentViewer() viewer: Viewer) {
    return this.reviews.addReviewer(viewer, id, body.organisation);
  }
}
