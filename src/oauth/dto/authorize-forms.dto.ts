import { IntersectionType } from '@nestjs/swagger';
import { IsIn, IsUUID, Matches } from 'class-validator';
import { LoginDto } from '../../auth/dto/login.dto';

/** The hidden fields of both forms: the request, and the browser's secret again (src/oauth/browser-binding.ts). */
export class AuthorizeFormBinding {
  @IsUUID()
  request: string;

  @Matches(/^[A-Za-z0-9_-]{43}$/)
  csrf: string;
}

/** POST /oauth/authorize/login: the sign-in form, its email and password checked as POST /auth/login's. */
export class AuthorizeLoginForm extends IntersectionType(LoginDto, AuthorizeFormBinding) {}

export const CONSENT_DECISIONS = ['allow', 'deny'] as const;

/** POST /oauth/authorize/consent: the consent form, with the value of the button pressed. */
export class AuthorizeConsentForm extends AuthorizeFormBinding {
  @IsIn(CONSENT_DECISIONS)
  decision: (typeof CONSENT_DECISIONS)[number];
}
