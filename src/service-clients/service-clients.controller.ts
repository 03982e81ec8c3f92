import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { NewApiKeyResponse, newApiKeyResponse } from '../api-keys/api-key.response';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { GracePeriodDto } from '../api-keys/dto/grace-period.dto';
import { Actor, AuditActor } from '../audit/audit-actor.decorator';
import { toResponse } from '../common/http/response';
import { Page, toPage } from '../common/pagination/page';
import { PageQuery } from '../common/pagination/page-query.dto';
import { Roles } from '../security/access.decorators';
import { LoadedResource } from '../security/loaded-resource.decorator';
import { Policy } from '../security/policy';
import { CreateClientKeyDto } from './dto/create-client-key.dto';
import { CreateServiceClientDto } from './dto/create-service-client.dto';
import { ServiceClient } from './service-client.entity';
import { ServiceClientPolicy } from './service-client.policy';
import { ClientSecretResponse, NewServiceClientResponse, ServiceClientResponse } from './service-client.response';
import { ServiceClientsService } from './service-clients.service';

/** Admins only: the role is carried by an admin's own access token, never by a key or a client. */
@ApiTags('service-clients')
@Roles('admin')
@Controller('service-clients')
export class ServiceClientsController {
  constructor(
    private readonly clients: ServiceClientsService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: NewServiceClientResponse })
  async create(@Body() body: CreateServiceClientDto, @Actor() actor: AuditActor): Promise<NewServiceClientResponse> {
    const { client, clientSecret } = await this.clients.create(body, actor);
    return toResponse(NewServiceClientResponse, { ...client, clientSecret });
  }

  @Get()
  @ApiOkResponse({ type: ServiceClientResponse, isArray: true })
  async list(@Query() query: PageQuery): Promise<Page<ServiceClientResponse>> {
    const [rows, total] = await this.clients.list(query);
    return toPage(ServiceClientResponse, rows, total, query);
  }

  @Post(':id/api-keys')
  @HttpCode(201)
  @Policy(ServiceClientPolicy.manage)
  @ApiCreatedResponse({ type: NewApiKeyResponse })
  async createKey(@LoadedResource() client: ServiceClient, @Body() body: CreateClientKeyDto, @Actor() actor: AuditActor): Promise<NewApiKeyResponse> {
    return newApiKeyResponse(await this.apiKeys.create({ kind: 'client', id: client.id }, body, actor));
  }

  @Post(':id/rotate-secret')
  @HttpCode(201)
  @Policy(ServiceClientPolicy.manage)
  @ApiCreatedResponse({ type: ClientSecretResponse })
  async rotateSecret(@LoadedResource() client: ServiceClient, @Body() body: GracePeriodDto, @Actor() actor: AuditActor): Promise<ClientSecretResponse> {
    return toResponse(ClientSecretResponse, { clientSecret: await this.clients.rotateSecret(client, body.graceHours, actor) });
  }

  @Delete(':id')
  @HttpCode(204)
  @Policy(ServiceClientPolicy.manage)
  @ApiNoContentResponse()
  async delete(@LoadedResource() client: ServiceClient, @Actor() actor: AuditActor): Promise<void> {
    await this.clients.delete(client, actor);
  }
}
