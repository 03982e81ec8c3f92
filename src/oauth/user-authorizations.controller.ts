import { Body, Controller, Delete, Get, HttpCode, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HttpOrigin, Origin } from '../audit/request-origin.decorator';
import { ApiPageResponse } from '../common/openapi/api-page.decorator';
import { ApiProblem } from '../common/openapi/api-problems.decorator';
import { Page, toPage } from '../common/pagination/page';
import { PageQuery } from '../common/pagination/page-query.dto';
import { EmptyBodyPipe } from '../common/validation/empty-body.pipe';
import { CurrentPrincipal } from '../security/current-principal.decorator';
import { LoadedResource } from '../security/loaded-resource.decorator';
import { Policy } from '../security/policy';
import { Principal } from '../security/principal';
import { requireUserToken } from '../security/require-user';
import { AuthorizationPolicy } from './authorization.policy';
import type { OwnAuthorization } from './oauth-consents.repository';
import { UserAuthorizationResponse } from './user-authorization.response';
import { UserAuthorizationsService } from './user-authorizations.service';

/** The apps the caller authorized, and withdrawing one: "the user stays in control". User access tokens only. */
@ApiTags('users')
@Controller('users/me/authorizations')
export class UserAuthorizationsController {
  constructor(private readonly authorizations: UserAuthorizationsService) {}

  @Get()
  @ApiOperation({ summary: 'List the apps you authorized, newest grant first' })
  @ApiPageResponse(UserAuthorizationResponse)
  @ApiProblem(403, 'Needs a user access token (not an app’s, not an API key)')
  async list(@CurrentPrincipal() principal: Principal, @Query() query: PageQuery): Promise<Page<UserAuthorizationResponse>> {
    const [rows, total] = await this.authorizations.list(requireUserToken(principal), query);
    return toPage(UserAuthorizationResponse, rows, total, query);
  }

  @Delete(':clientId')
  @HttpCode(204)
  @Policy(AuthorizationPolicy, 'own')
  @ApiOperation({ summary: 'Withdraw an app’s authorization: its consent is forgotten and its tokens for you end at once' })
  @ApiNoContentResponse({ description: 'Withdrawn' })
  @ApiProblem(403, 'Needs a user access token (not an app’s, not an API key)')
  async withdraw(@LoadedResource() authorization: OwnAuthorization, @Body(EmptyBodyPipe) _body: unknown, @Origin() origin: HttpOrigin): Promise<void> {
    await this.authorizations.withdraw(authorization, origin);
  }
}
