import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, AuditActor } from '../audit/audit-actor.decorator';
import { ApiPageResponse } from '../common/openapi/api-page.decorator';
import { ApiProblem } from '../common/openapi/api-problems.decorator';
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
  @ApiOperation({ summary: 'List users' })
  @ApiPageResponse(AdminUserResponse)
  async list(@Query() query: ListUsersQuery): Promise<Page<AdminUserResponse>> {
    const { rows, total } = await this.users.list(query);
    return toPage(AdminUserResponse, rows, total, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a user' })
  @ApiOkResponse({ type: AdminUserResponse })
  @ApiProblem(404, 'User not found')
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<AdminUserResponse> {
    return toResponse(AdminUserResponse, await this.users.get(id));
  }

  @Post(':id/suspend')
  @HttpCode(204)
  @ApiOperation({ summary: 'Suspend a user: every token and key session of theirs ends at once' })
  @ApiNoContentResponse({ description: 'Suspended' })
  @ApiProblem(404, 'User not found')
  @ApiProblem(409, 'You cannot suspend your own account')
  async suspend(@Param('id', ParseUUIDPipe) id: string, @Body(EmptyBodyPipe) _body: unknown, @Actor() actor: AuditActor): Promise<void> {
    await this.users.suspend(id, actor);
  }

  @Post(':id/reinstate')
  @HttpCode(204)
  @ApiOperation({ summary: 'Reinstate a suspended user' })
  @ApiNoContentResponse({ description: 'Reinstated' })
  @ApiProblem(404, 'User not found')
  async reinstate(@Param('id', ParseUUIDPipe) id: string, @Body(EmptyBodyPipe) _body: unknown, @Actor() actor: AuditActor): Promise<void> {
    await this.users.reinstate(id, actor);
  }

  /** One leaked key ends without ending the account: suspending is the only other lever. */
  @Delete(':id/api-keys/:keyId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke one API key of a user, at once, without suspending the account' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiProblem(404, 'User or key not found, or the key is not that user’s')
  async revokeApiKey(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('keyId', ParseUUIDPipe) keyId: string,
    @Body(EmptyBodyPipe) _body: unknown,
    @Actor() actor: AuditActor,
  ): Promise<void> {
    await this.users.revokeApiKey(id, keyId, actor);
  }
}
