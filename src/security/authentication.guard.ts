import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticator } from 'passport';
import { IS_PUBLIC } from '../common/http/public-route';
import { serviceUnavailable } from '../common/http/service-unavailable';
import { CREDENTIAL_STRATEGIES, CredentialStrategy } from './credential-strategies';
import { credentialCount } from './credentials';
import { Principal } from './principal';
import { REFUSED_CREDENTIAL_LIMIT, RefusedCredentialLimit } from './refused-credential-limit';
import { PerRoute } from './route-metadata';
import { invalidCredentials, isStoreUnavailable } from './security-problems';

/**
 * Deny by default (docs/design.md, pattern 1): every route needs a credential unless it is `@Public()`.
 * Whatever is wrong with a credential, the answer is the same 401 (docs/http-contract.md, Authentication); a store
 * that cannot say whether a token was revoked makes it a 503, never a pass.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  // Our own Authenticator rather than passport's global singleton, so two apps in one process
  // (tests, a CLI) never share strategies and each checks tokens against its own stores.
  private readonly passport = new Authenticator();
  /** The names of the strategies, in the order AppModule lists them (see CREDENTIAL_STRATEGIES). */
  private readonly strategies: string[];
  private readonly isPublic = new PerRoute((targets) => this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets) === true);

  constructor(
    private readonly reflector: Reflector,
    @Inject(REFUSED_CREDENTIAL_LIMIT) private readonly refused: RefusedCredentialLimit,
    @Inject(CREDENTIAL_STRATEGIES) strategies: readonly CredentialStrategy[],
  ) {
    for (const strategy of strategies) this.passport.use(strategy);
    this.strategies = strategies.map((strategy) => strategy.name);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.isPublic.of(context)) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const credentials = credentialCount(request);
    if (credentials > 0) this.refused.refuseIfBlocked(request);
    // Exactly one credential (docs/http-contract.md): with two, which one would speak for the request?
    const principal = credentials === 1 ? await this.authenticate(request, reply) : undefined;
    if (!principal) {
      // A refused credential counts against the client IP, as a request without one would have.
      if (credentials > 0) await this.refused.charge(request, reply);
      throw invalidCredentials(credentials > 0);
    }
    request.principal = principal;
    return true;
  }

  private authenticate(request: FastifyRequest, reply: FastifyReply): Promise<Principal | undefined> {
    return new Promise((resolve, reject) => {
      const onResult = (error: unknown, principal?: Principal | false): void => {
        if (isStoreUnavailable(error)) reject(serviceUnavailable());
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passport hands on what a strategy failed with, as it is
        else if (error) reject(error);
        else resolve(principal || undefined);
      };
      // @types/passport types the middleware it returns as `any`.
      const middleware = this.passport.authenticate(this.strategies, { session: false }, onResult) as (
        req: FastifyRequest,
        res: FastifyReply,
        next: typeof onResult,
      ) => void;
      middleware(request, reply, onResult);
    });
  }
}
