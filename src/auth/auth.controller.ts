import { Body, Controller, Header, HttpCode, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { HttpOrigin, Origin } from '../audit/request-origin.decorator';
import { toResponse } from '../common/http/response';
import { EmptyBodyPipe } from '../common/validation/empty-body.pipe';
import { CurrentPrincipal } from '../security/current-principal.decorator';
import { Principal } from '../security/principal';
import { Public } from '../security/public.decorator';
import { requireUserToken } from '../security/require-user';
import { appendRateLimitHeaders } from '../throttling/rate-limit-fields';
import { UserResponse } from '../users/user.response';
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
  @HttpCode(201)
  @ApiCreatedResponse({ type: UserResponse })
  async register(@Body() body: RegisterDto, @Origin() origin: HttpOrigin): Promise<UserResponse> {
    return toResponse(UserResponse, await this.accounts.register(body, origin));
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  // RFC 6749 §5.1: a response carrying tokens is never stored by a cache.
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({ type: TokensResponse })
  async login(@Body() body: LoginDto, @Origin() origin: HttpOrigin, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokensResponse> {
    return toResponse(TokensResponse, await this.logins.login(body, origin, (limits) => appendRateLimitHeaders(reply, limits)));
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({ type: TokensResponse })
  async refresh(@Body() body: RefreshDto, @Origin() origin: HttpOrigin): Promise<TokensResponse> {
    return toResponse(TokensResponse, await this.sessions.refresh(body.refreshToken, origin));
  }

  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse()
  async logout(@CurrentPrincipal() principal: Principal, @Body(EmptyBodyPipe) _body: unknown, @Origin() origin: HttpOrigin): Promise<void> {
    await this.sessions.logout(requireUserToken(principal), origin);
  }

  @Post('password')
  @HttpCode(204)
  @ApiNoContentResponse()
  async changePassword(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ChangePasswordDto,
    @Origin() origin: HttpOrigin,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.accounts.changePassword(requireUserToken(principal).userId, body, origin, (limits) => appendRateLimitHeaders(reply, limits));
  }
}
