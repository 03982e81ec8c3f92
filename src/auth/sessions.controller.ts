import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
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
import { OwnSession, SessionPolicy } from './session.policy';
import { SessionResponse } from './session.response';
import { SessionsService } from './sessions.service';

/** The caller's sign-in sessions, and ending them: one, or all at once ("sign out everywhere"). User tokens only. */
@ApiTags('auth')
@Controller('auth/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  @ApiOperation({ summary: 'List your sessions that still work, newest use first' })
  @ApiPageResponse(SessionResponse)
  @ApiProblem(403, 'Needs a user access token')
  async list(@CurrentPrincipal() principal: Principal, @Query() query: PageQuery): Promise<Page<SessionResponse>> {
    const [rows, total] = await this.sessions.list(requireUserToken(principal), query);
    return toPage(SessionResponse, rows, total, query);
  }

  @Delete(':id')
  @HttpCode(204)
  @Policy(SessionPolicy, 'own')
  @ApiOperation({ summary: 'End one of your sessions, and its access tokens, at once' })
  @ApiNoContentResponse({ description: 'Ended (again, if it had ended already)' })
  @ApiProblem(403, 'Needs a user access token')
  async end(@LoadedResource() session: OwnSession, @Body(EmptyBodyPipe) _body: unknown, @Origin() origin: HttpOrigin): Promise<void> {
    await this.sessions.end(session, origin);
  }

  @Post('revoke-all')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out everywhere: end every session of yours, this one included (API keys stay)' })
  @ApiNoContentResponse({ description: 'Every session ended' })
  @ApiProblem(403, 'Needs a user access token')
  async revokeAll(@CurrentPrincipal() principal: Principal, @Body(EmptyBodyPipe) _body: unknown, @Origin() origin: HttpOrigin): Promise<void> {
    await this.sessions.revokeAll(requireUserToken(principal), origin);
  }
}
