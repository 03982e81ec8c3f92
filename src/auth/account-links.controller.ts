import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HttpOrigin, Origin } from '../audit/request-origin.decorator';
import { ApiProblem } from '../common/openapi/api-problems.decorator';
import { Public } from '../security/public.decorator';
import { RateLimitReport, ReportRateLimits } from '../throttling/rate-limit-report';
import { AcceptedResponse, MAIL_ON_ITS_WAY } from './accepted.response';
import { AccountLinkDto, PasswordResetConfirmDto } from './dto/account-link.dto';
import { EmailRequestDto } from './dto/email-request.dto';
import { EmailChangeService } from './email-change.service';
import { EmailVerificationService } from './email-verification.service';
import { PasswordResetService } from './password-reset.service';

const INVALID_LINK = 'The link is not valid: unknown, used, expired, or voided by a later change (one answer for all)';

/**
 * The routes of mailed links, for someone not signed in: ask for a link (the same 202 for every address), and
 * redeem one (its token, from the link's fragment). Limited per client IP and, when they name one, per address.
 */
@ApiTags('auth')
@Public()
@Controller('auth')
export class AccountLinksController {
  constructor(
    private readonly verification: EmailVerificationService,
    private readonly reset: PasswordResetService,
    private readonly emailChange: EmailChangeService,
  ) {}

  @Post('email-verification')
  @HttpCode(204)
  @ApiOperation({ summary: 'Verify your address with the token of the verification link' })
  @ApiNoContentResponse({ description: 'Verified' })
  @ApiProblem(400, INVALID_LINK)
  async verify(@Body() body: AccountLinkDto, @Origin() origin: HttpOrigin, @ReportRateLimits() report: RateLimitReport): Promise<void> {
    await this.verification.verify(body.token, origin, report);
  }

  @Post('email-verification/resend')
  @HttpCode(202)
  @ApiOperation({ summary: 'Mail a new verification link, if an unverified account has this address (the same 202 either way)' })
  @ApiAcceptedResponse({ type: AcceptedResponse })
  async resend(@Body() body: EmailRequestDto, @Origin() origin: HttpOrigin, @ReportRateLimits() report: RateLimitReport): Promise<AcceptedResponse> {
    await this.verification.resend(body.email, origin, report);
    return MAIL_ON_ITS_WAY;
  }

  @Post('password-reset')
  @HttpCode(202)
  @ApiOperation({ summary: 'Mail a password reset link, if an account has this address (the same 202 either way)' })
  @ApiAcceptedResponse({ type: AcceptedResponse })
  async requestReset(@Body() body: EmailRequestDto, @Origin() origin: HttpOrigin, @ReportRateLimits() report: RateLimitReport): Promise<AcceptedResponse> {
    await this.reset.request(body.email, origin, report);
    return MAIL_ON_ITS_WAY;
  }

  @Post('password-reset/confirm')
  @HttpCode(204)
  @ApiOperation({ summary: 'Set a new password with the token of the reset link (ends every session and API key of the account)' })
  @ApiNoContentResponse({ description: 'The password is reset' })
  @ApiProblem(400, INVALID_LINK)
  async confirmReset(@Body() body: PasswordResetConfirmDto, @Origin() origin: HttpOrigin, @ReportRateLimits() report: RateLimitReport): Promise<void> {
    await this.reset.confirm(body.token, body.newPassword, origin, report);
  }

  @Post('email-change/confirm')
  @HttpCode(204)
  @ApiOperation({ summary: 'Move your account to its new address with the token of the link mailed there' })
  @ApiNoContentResponse({ description: 'The address is changed' })
  @ApiProblem(400, INVALID_LINK)
  @ApiProblem(409, 'An account with this email already exists')
  async confirmEmailChange(@Body() body: AccountLinkDto, @Origin() origin: HttpOrigin, @ReportRateLimits() report: RateLimitReport): Promise<void> {
    await this.emailChange.confirm(body.token, origin, report);
  }
}
