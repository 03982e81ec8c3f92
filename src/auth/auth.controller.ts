import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HttpOrigin, Origin } from '../audit/request-origin.decorator';
import { ApiProblem } from '../common/openapi/api-problems.decorator';
import { toResponse } from '../common/http/response';
import { AcceptedResponse, MAIL_ON_ITS_WAY } from './accepted.response';
import { EmptyBodyPipe } from '../common/validation/empty-body.pipe';
import { CurrentPrincipal } from '../security/current-principal.decorator';
import { Principal } from '../security/principal';
import { Public } from '../security/public.decorator';
import { requireUserToken } from '../security/require-user';
import { RateLimitReport, ReportRateLimits } from '../throttling/rate-limit-report';
import { AccountsService } from './accounts.service';
import { ChangePasswordDto } from './dto/change-password.dto';
import { LoginDto } from './dto/login.dto';
import { RefreshDto } from './dto/refresh.dto';
import { RegisterDto } from './dto/register.dto';
import { LoginService } from './login.service';
import { SessionsService } from './sessions.service';
import { TokensResponse } from './tokens.response';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly logins: LoginService,
    private readonly sessions: SessionsService,
  ) {}

  @Public()
  @Post('register')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Register (always as a customer): a verification mail to a new address, a notice to a known one; the same 202 for both',
  })
  @ApiAcceptedResponse({ type: AcceptedResponse })
  async register(@Body() body: RegisterDto, @Origin() origin: HttpOrigin, @ReportRateLimits() report: RateLimitReport): Promise<AcceptedResponse> {
    await this.accounts.register(body, origin, report);
    return MAIL_ON_ITS_WAY;
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  // RFC 6749 §5.1: a response carrying tokens is never stored by a cache.
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Log in: an access token and a refresh token' })
  @ApiOkResponse({ type: TokensResponse })
  @ApiProblem(401, 'Wrong email or password, or a suspended account (one answer for all)')
  async login(@Body() body: LoginDto, @Origin() origin: HttpOrigin, @ReportRateLimits() report: RateLimitReport): Promise<TokensResponse> {
    return toResponse(TokensResponse, await this.logins.login(body, origin, report));
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Trade a refresh token for a new pair (single use)' })
  @ApiOkResponse({ type: TokensResponse })
  @ApiProblem(401, 'Unknown, expired or retired refresh token (a retired one ends the whole session)')
  async refresh(@Body() body: RefreshDto, @Origin() origin: HttpOrigin): Promise<TokensResponse> {
    return toResponse(TokensResponse, await this.sessions.refresh(body.refreshToken, origin));
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Log out: revoke this access token and its session' })
  @ApiNoContentResponse({ description: 'Logged out' })
  @ApiProblem(403, 'Needs a user access token')
  async logout(@CurrentPrincipal() principal: Principal, @Body(EmptyBodyPipe) _body: unknown, @Origin() origin: HttpOrigin): Promise<void> {
    await this.sessions.logout(requireUserToken(principal), origin);
  }

  @Post('password')
  @HttpCode(204)
  @ApiOperation({ summary: 'Change your password (ends every session and key session of yours)' })
  @ApiNoContentResponse({ description: 'Changed' })
  @ApiProblem(403, 'Needs a user access token, or the current password is not correct')
  async changePassword(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ChangePasswordDto,
    @Origin() origin: HttpOrigin,
    @ReportRateLimits() report: RateLimitReport,
  ): Promise<void> {
    await this.accounts.changePassword(requireUserToken(principal), body, origin, report);
  }
}
