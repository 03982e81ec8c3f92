import { Controller, Get, Query } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse } from '../common/openapi/api-page.decorator';
import { DataSource } from 'typeorm';
import { Page, toPage } from '../common/pagination/page';
import { Roles } from '../security/access.decorators';
import { AuditEvent } from './audit-event.entity';
import { AuditEventResponse } from './audit-event.response';
import { ListAuditEventsQuery } from './list-audit-events.query';

/** Read-only, admin-only view of the trail: there is no route that changes or deletes an event. */
@ApiTags('audit')
@Roles('admin')
@Controller('audit-events')
export class AuditEventsController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'List audit events, newest first' })
  @ApiPageResponse(AuditEventResponse)
  async list(@Query() query: ListAuditEventsQuery): Promise<Page<AuditEventResponse>> {
    const [rows, total] = await this.dataSource.getRepository(AuditEvent).findAndCount({
      where: { ...(query.actorId ? { actorId: query.actorId } : {}), ...(query.action ? { action: query.action } : {}) },
      order: { at: 'DESC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return toPage(AuditEventResponse, rows, total, query);
  }
}
