import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, AuditActor } from '../audit/audit-actor.decorator';
import { ApiPageResponse } from '../common/openapi/api-page.decorator';
import { toResponse } from '../common/http/response';
import { EmptyBodyPipe } from '../common/validation/empty-body.pipe';
import { Page, toPage } from '../common/pagination/page';
import { PageQuery } from '../common/pagination/page-query.dto';
import { Roles } from '../security/access.decorators';
import { LoadedResource } from '../security/loaded-resource.decorator';
import { Policy } from '../security/policy';
import { AppClientPolicy } from './app-client.policy';
import { AppClientResponse, NewAppClientResponse } from './app-client.response';
import { CreateAppClientDto } from './dto/create-app-client.dto';
import { ServiceClient } from './service-client.entity';
import { ServiceClientsService } from './service-clients.service';

/**
 * The apps users authorize (docs/http-contract.md, Delegated authorization), in the same registry as service
 * clients. Admins only: registering an app decides where users' authorization codes may be sent.
 */
@ApiTags('oauth')
@Roles('admin')
@Controller('oauth/clients')
export class AppClientsController {
  constructor(private readonly clients: ServiceClientsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Register an app for the authorization code grant (a confidential one’s secret is in this answer only)' })
  @ApiCreatedResponse({ type: NewAppClientResponse })
  async create(@Body() body: CreateAppClientDto, @Actor() actor: AuditActor): Promise<NewAppClientResponse> {
    const { client, clientSecret } = await this.clients.createApp(body, actor);
    return toResponse(NewAppClientResponse, { ...client, clientSecret });
  }

  @Get()
  @ApiOperation({ summary: 'List the registered apps (never a secret)' })
  @ApiPageResponse(AppClientResponse)
  async list(@Query() query: PageQuery): Promise<Page<AppClientResponse>> {
    const [rows, total] = await this.clients.list('app', query);
    return toPage(AppClientResponse, rows, total, query);
  }

  @Delete(':id')
  @HttpCode(204)
  @Policy(AppClientPolicy, 'manage')
  @ApiOperation({ summary: 'Delete an app: every token it holds for any user stops working at once' })
  @ApiNoContentResponse({ description: 'Deleted' })
  async delete(@LoadedResource() client: ServiceClient, @Body(EmptyBodyPipe) _body: unknown, @Actor() actor: AuditActor): Promise<void> {
    await this.clients.delete(client, actor);
  }
}
