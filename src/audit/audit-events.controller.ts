import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse } from '../common/openapi/api-page.decorator';
import { Page, toPage } from '../common/pagination/page';
import { Roles } from '../security/access.decorators';
import { AuditEventResponse } from './audit-event.response';
import { AuditService } from './audit.service';
import { ListAuditEventsQuery } from './list-audit-events.query';

/** Read-only, admin-only view of the trail: there is no route that changes or deletes an event. */
@ApiTags('audit')
@Roles('admin')
@Controller('audit-events')
export class AuditEventsController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'List audit events, newest first' })
  @ApiPageResponse(AuditEventResponse)
  async list(@Query() query: ListAuditEventsQuery): Promise<Page<AuditEventResponse>> {
    const [rows, total] = await this.audit.list(query);
    return toPage(AuditEventResponse, rows, total, query);
  }
}
