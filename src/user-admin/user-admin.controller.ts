import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, AuditActor } from '../audit/audit-actor.decorator';
import { toResponse } from '../common/http/response';
import { Page, toPage } from '../common/pagination/page';
import { EmptyBodyPipe } from '../common/validation/empty-body.pipe';
import { Roles } from '../security/access.decorators';
import { AdminUserResponse } from './admin-user.response';
import { ListUsersQuery } from './list-users.query';
import { UserAdminService } from './user-admin.service';

/** Admin-only (a user access token with the admin role: never an API key or a client). */
@ApiTags('users')
@Roles('admin')
@Controller('users')
export class UserAdminController {
  constructor(private readonly users: UserAdminService) {}

  @Get()
  @ApiOkResponse({ type: AdminUserResponse, isArray: true })
  async list(@Query() query: ListUsersQuery): Promise<Page<AdminUserResponse>> {
    const { rows, total } = await this.users.list(query);
    return toPage(AdminUserResponse, rows, total, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: AdminUserResponse })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<AdminUserResponse> {
    return toResponse(AdminUserResponse, await this.users.get(id));
  }

  @Post(':id/suspend')
  @HttpCode(204)
  @ApiNoContentResponse()
  async suspend(@Param('id', ParseUUIDPipe) id: string, @Body(EmptyBodyPipe) _body: unknown, @Actor() actor: AuditActor): Promise<void> {
    await this.users.suspend(id, actor);
  }

  @Post(':id/reinstate')
  @HttpCode(204)
  @ApiNoContentResponse()
  async reinstate(@Param('id', ParseUUIDPipe) id: string, @Body(EmptyBodyPipe) _body: unknown, @Actor() actor: AuditActor): Promise<void> {
    await this.users.reinstate(id, actor);
  }

  /** One leaked key ends without ending the account: suspending is the only other lever. */
  @Delete(':id/api-keys/:keyId')
  @HttpCode(204)
  @ApiNoContentResponse()
  async revokeApiKey(@Param('id', ParseUUIDPipe) id: string, @Param('keyId', ParseUUIDPipe) keyId: string, @Actor() actor: AuditActor): Promise<void> {
    await this.users.revokeApiKey(id, keyId, actor);
  }
}
