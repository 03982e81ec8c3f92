import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HttpOrigin, Origin } from '../audit/request-origin.decorator';
import { ApiProblem } from '../common/openapi/api-problems.decorator';
import { CurrentPrincipal } from '../security/current-principal.decorator';
import { Principal } from '../security/principal';
import { requireUserToken } from '../security/require-user';
import { RateLimitReport, ReportRateLimits } from '../throttling/rate-limit-report';
import { AcceptedResponse, MAIL_ON_ITS_WAY } from './accepted.response';
import { EmailChangeDto } from './dto/email-request.dto';
import { EmailChangeService } from './email-change.service';

@ApiTags('users')
@Controller('users/me/email')
export class EmailChangeController {
  constructor(private readonly emailChange: EmailChangeService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Change your address: a link to the new one, a notice to the old one; it changes when the link is used' })
  @ApiAcceptedResponse({ type: AcceptedResponse })
  @ApiProblem(400, 'The new address is the current one')
  @ApiProblem(403, 'Needs a user access token, or the current password is not correct')
  async request(
    @CurrentPrincipal() principal: Principal,
    @Body() body: EmailChangeDto,
    @Origin() origin: HttpOrigin,
    @ReportRateLimits() report: RateLimitReport,
  ): Promise<AcceptedResponse> {
    await this.emailChange.request(requireUserToken(principal), body.newEmail, body.currentPassword, origin, report);
    return MAIL_ON_ITS_WAY;
  }
}
