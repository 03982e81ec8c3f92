import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { HttpOrigin } from '../audit/request-origin.decorator';
import { unauthorized } from '../security/security-problems';
import type { RateLimitReport } from '../throttling/rate-limit-report';
import { PasswordHasher } from '../users/password-hasher';
import { User } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { LoginDto } from './dto/login.dto';
import { LoginThrottle } from './login-throttle';
import { SessionsService, Tokens } from './sessions.service';

@Injectable()
export class LoginService {
  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  /** A user's own login: a new session, or the same 401 for every reason (see verified). */
  async login(input: LoginDto, origin: HttpOrigin, report: RateLimitReport): Promise<Tokens> {
    const tokens = await this.verified(input, origin, report, 'auth.login', (user) => this.sessions.open(user, origin));
    if (!tokens) throw unauthorized('Invalid email or password', false);
    return tokens;
  }

  /**
   * Runs `proceed` for the active user whose email and password these are, under the login limits, and
   * returns what it returns; `undefined` for every failure. Unknown email, wrong password and suspended
   * account fail alike: the same work (one argon2 verification, one counted attempt, one audit row,
   * `action` failed) and the same answer from the caller, so neither the answer nor its timing tells an
   * attacker which emails have an account (OWASP Authentication Cheat Sheet). `proceed` returning
   * `undefined` (a password changed or an account suspended while this one was being verified,
   * SessionsService.open) fails the same way. The login route and the authorization endpoint's sign-in
   * page both go through here.
   */
  async verified<T>(
    input: LoginDto,
    origin: HttpOrigin,
    report: RateLimitReport,
    action: string,
    proceed: (user: User) => Promise<T | undefined>,
  ): Promise<T | undefined> {
    return this.throttle.limit(origin.ip, input.email, report, async (attempt) => {
      const user = await this.users.findByEmail(input.email);
      const passwordMatches = await this.hasher.verify(user?.passwordHash, input.password);
      const result = user && passwordMatches && user.status === 'active' ? await proceed(user) : undefined;
      if (result === undefined) {
        await this.audit.record({
          ...origin,
          actorType: 'anonymous',
          actorId: null,
          action,
          targetType: 'user',
          targetId: user?.id ?? null,
          outcome: 'failure',
        });
        return undefined;
      }
      await attempt.succeeded();
      return result;
    });
  }
}
