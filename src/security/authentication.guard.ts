import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticator } from 'passport';
import { ApiKeyStrategy } from '../api-keys/api-key.strategy';
import { JwtStrategy } from '../auth/jwt.strategy';
import { RefusedCredentials } from '../throttling/refused-credentials';
import { credentialCount } from './credentials';
import { Principal } from './principal';
import { IS_PUBLIC } from './public.decorator';
import { invalidCredentials, isStoreUnavailable, serviceUnavailable } from './security-problems';

/**
 * The passport strategies tried, in order, on each request; the first that accepts the credential
 * wins. A key in `Authorization: Bearer` fails the JWT strategy at its header check, before any
 * crypto, and a JWT fails the API-key strategy at its length check: neither costs the other much.
 */
const STRATEGIES = ['jwt', 'api-key'];

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

  constructor(
    private readonly reflector: Reflector,
    private readonly refused: RefusedCredentials,
    jwt: JwtStrategy,
    apiKey: ApiKeyStrategy,
  ) {
    this.passport.use(jwt);
    this.passport.use(apiKey);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
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
      const middleware = this.passport.authenticate(STRATEGIES, { session: false }, onResult) as (req: FastifyRequest, res: FastifyReply, next: typeof onResult) => void;
      middleware(request, reply, onResult);
    });
  }
}
