import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { HttpOrigin } from '../audit/request-origin.decorator';
import { unauthorized } from '../security/security-problems';
import type { RateLimitReport } from '../throttling/rate-limit-report';
import { PasswordHasher } from '../users/password-hasher';
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

  /**
   * Unknown email, wrong password and suspended account fail alike: the same work (one argon2
   * verification, one counted attempt, one audit row) and the same 401, so neither the answer nor
   * its timing tells an attacker which emails have an account (OWASP Authentication Cheat Sheet).
   * A password changed or an account suspended while this one was being verified fails the same way
   * (SessionsService.open).
   */
  async login(input: LoginDto, origin: HttpOrigin, report: RateLimitReport): Promise<Tokens> {
    return this.throttle.limit(origin.ip, input.email, report, async (attempt) => {
      const user = await this.users.findByEmail(input.email);
      const passwordMatches = await this.hasher.verify(user?.passwordHash, input.password);
      const tokens = user && passwordMatches && user.status === 'active' ? await this.sessions.open(user, origin) : undefined;
      if (!tokens) {
        await this.audit.record({
          ...origin,
          actorType: 'anonymous',
          actorId: null,
          action: 'auth.login',
          targetType: 'user',
          targetId: user?.id ?? null,
          outcome: 'failure',
        });
        throw unauthorized('Invalid email or password', false);
      }
      await attempt.succeeded();
      return tokens;
    });
  }
}
