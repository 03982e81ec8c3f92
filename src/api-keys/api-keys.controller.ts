import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, AuditActor } from '../audit/audit-actor.decorator';
import { EmptyBodyPipe } from '../common/validation/empty-body.pipe';
import { ApiPageResponse } from '../common/openapi/api-page.decorator';
import { ApiProblem } from '../common/openapi/api-problems.decorator';
import { Page, toPage } from '../common/pagination/page';
import { PageQuery } from '../common/pagination/page-query.dto';
import { CurrentPrincipal } from '../security/current-principal.decorator';
import { LoadedResource } from '../security/loaded-resource.decorator';
import { Policy } from '../security/policy';
import type { Principal } from '../security/principal';
import { requireUserToken, requireVerifiedEmail } from '../security/require-user';
import { ApiKeyPolicy } from './api-key.policy';
import { ApiKey } from './api-key.entity';
import { ApiKeyResponse, NewApiKeyResponse, newApiKeyResponse } from './api-key.response';
import { ApiKeysService } from './api-keys.service';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import { GracePeriodDto } from './dto/grace-period.dto';

/**
 * A user's own API keys, managed with the user's access token only: a key gets 403, so a leaked
 * key cannot mint more keys (docs/http-contract.md). The `:id` routes check this in their policy, before the lookup.
 */
@ApiTags('api-keys')
@ApiProblem(403, 'Needs a user access token: an API key cannot manage keys')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an API key (its plaintext is in this answer only)' })
  @ApiCreatedResponse({ type: NewApiKeyResponse })
  @ApiProblem(403, 'Needs a user access token, of a user whose address is verified (type /problems/email-not-verified)')
  @ApiProblem(409, 'You already have two active keys: revoke one first')
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiKeyDto, @Actor() actor: AuditActor): Promise<NewApiKeyResponse> {
    const { userId, generation } = requireUserToken(principal);
    requireVerifiedEmail(principal);
    return newApiKeyResponse(await this.keys.createForUser(userId, body, actor, generation));
  }

  @Get()
  @ApiOperation({ summary: 'List your API keys' })
  @ApiPageResponse(ApiKeyResponse)
  async list(@CurrentPrincipal() principal: Principal, @Query() query: PageQuery): Promise<Page<ApiKeyResponse>> {
    const [rows, total] = await this.keys.list(requireUserToken(principal).userId, query);
    return toPage(ApiKeyResponse, rows, total, query);
  }

  @Post(':id/rotate')
  @HttpCode(201)
  @Policy(ApiKeyPolicy, 'own')
  @ApiOperation({ summary: 'Rotate an API key: a new key, the old one kept for the grace period' })
  @ApiCreatedResponse({ type: NewApiKeyResponse })
  @ApiProblem(409, 'Only an active key can be rotated, within the limit of two active keys')
  async rotate(@LoadedResource() key: ApiKey, @Body() body: GracePeriodDto, @Actor() actor: AuditActor): Promise<NewApiKeyResponse> {
    return newApiKeyResponse(await this.keys.rotate(key, body.graceHours, actor));
  }

  @Delete(':id')
  @HttpCode(204)
  @Policy(ApiKeyPolicy, 'own')
  @ApiOperation({ summary: 'Revoke an API key at once' })
  @ApiNoContentResponse({ description: 'Revoked' })
  async revoke(@LoadedResource() key: ApiKey, @Body(EmptyBodyPipe) _body: unknown, @Actor() actor: AuditActor): Promise<void> {
    await this.keys.revoke(key, actor);
  }
}
