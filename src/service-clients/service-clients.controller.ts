import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NewApiKeyResponse, newApiKeyResponse } from '../api-keys/api-key.response';
import { GracePeriodDto } from '../api-keys/dto/grace-period.dto';
import { Actor, AuditActor } from '../audit/audit-actor.decorator';
import { ApiPageResponse } from '../common/openapi/api-page.decorator';
import { ApiProblem } from '../common/openapi/api-problems.decorator';
import { toResponse } from '../common/http/response';
import { EmptyBodyPipe } from '../common/validation/empty-body.pipe';
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
  constructor(private readonly clients: ServiceClientsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a service client (its secret is in this answer only)' })
  @ApiCreatedResponse({ type: NewServiceClientResponse })
  async create(@Body() body: CreateServiceClientDto, @Actor() actor: AuditActor): Promise<NewServiceClientResponse> {
    const { client, clientSecret } = await this.clients.create(body, actor);
    return toResponse(NewServiceClientResponse, { ...client, clientSecret });
  }

  @Get()
  @ApiOperation({ summary: 'List service clients (never a secret)' })
  @ApiPageResponse(ServiceClientResponse)
  async list(@Query() query: PageQuery): Promise<Page<ServiceClientResponse>> {
    const [rows, total] = await this.clients.list('service', query);
    return toPage(ServiceClientResponse, rows, total, query);
  }

  @Post(':id/api-keys')
  @HttpCode(201)
  @Policy(ServiceClientPolicy, 'manage')
  @ApiOperation({ summary: 'Create an API key that acts as the client' })
  @ApiCreatedResponse({ type: NewApiKeyResponse })
  @ApiProblem(409, 'The client already has two active keys')
  async createKey(@LoadedResource() client: ServiceClient, @Body() body: CreateClientKeyDto, @Actor() actor: AuditActor): Promise<NewApiKeyResponse> {
    return newApiKeyResponse(await this.clients.createKey(client, body, actor));
  }

  @Post(':id/rotate-secret')
  @HttpCode(201)
  @Policy(ServiceClientPolicy, 'manage')
  @ApiOperation({ summary: 'Rotate the client secret (the old one kept for the grace period)' })
  @ApiCreatedResponse({ type: ClientSecretResponse })
  async rotateSecret(@LoadedResource() client: ServiceClient, @Body() body: GracePeriodDto, @Actor() actor: AuditActor): Promise<ClientSecretResponse> {
    return toResponse(ClientSecretResponse, { clientSecret: await this.clients.rotateSecret(client, body.graceHours, actor) });
  }

  @Delete(':id')
  @HttpCode(204)
  @Policy(ServiceClientPolicy, 'manage')
  @ApiOperation({ summary: 'Delete a service client: its tokens and keys stop working at once' })
  @ApiNoContentResponse({ description: 'Deleted' })
  async delete(@LoadedResource() client: ServiceClient, @Body(EmptyBodyPipe) _body: unknown, @Actor() actor: AuditActor): Promise<void> {
    await this.clients.delete(client, actor);
  }
}
