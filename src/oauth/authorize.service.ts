import { Injectable } from '@nestjs/common';
import { AuditOutcome } from '../audit/audit-event.entity';
import { AuditService } from '../audit/audit.service';
import { HttpOrigin } from '../audit/request-origin.decorator';
import { LoginService } from '../auth/login.service';
import { hashOpaqueToken, newOpaqueToken } from '../auth/opaque-token';
import { AppConfig } from '../config/app-config';
import type { Scope } from '../security/scopes';
import { ServiceClient, isAppClient } from '../service-clients/service-client.entity';
import { isRegisteredRedirect } from '../service-clients/redirect-uri';
import { ServiceClientsService } from '../service-clients/service-clients.service';
import type { RateLimitReport } from '../throttling/rate-limit-report';
import type { User } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { AuthorizationRequest } from './authorization-request.entity';
import { AuthorizeQuery, checkAuthorization, readRedirectTarget } from './authorization-request';
import { AuthorizationRequestsRepository } from './authorization-requests.repository';
import { AuthorizeAnswer, errorAnswer, formAnswer, redirectAnswer } from './authorize-answer';
import { consentPage, loginPage } from './authorize-pages';
import { bindingCookie, expiredBindingCookie, submittedSecret } from './browser-binding';
import { AuthorizeConsentForm, AuthorizeFormBinding, AuthorizeLoginForm } from './dto/authorize-forms.dto';
import { OAuthConsentsRepository } from './oauth-consents.repository';

/** How long the browser steps (sign-in, consent) may take. */
const REQUEST_TTL_SECONDS = 10 * 60;
/** OAuth 2.1 §4.1.2: a code lives briefly; 60 s is enough for the client's back channel (RFC 6749 §4.1.2, "10 minutes" at most). */
const CODE_TTL_SECONDS = 60;

/** A form not taken: expired, decided already, or not this browser's (browser-binding.ts). Never a redirect. */
const formRefused = () =>
  errorAnswer(403, 'This form cannot be used', 'This form has expired, was already sent, or did not come from the browser that started the request.');

/** A pending request, whose form this browser sent, with its app. */
interface Bound {
  request: AuthorizationRequest;
  client: ServiceClient;
  secret: string;
}

/**
 * The authorization endpoint (RFC 6749 §4.1.1–4.1.2, OAuth 2.1): checks a request, signs the user in, asks
 * for consent (or finds it remembered) and sends the client a code, or an error, at its redirect URI. Every step
 * is audited. HTTP stays in the controller: this answers with pages and redirects (AuthorizeAnswer).
 */
@Injectable()
export class AuthorizeService {
  constructor(
    private readonly clients: ServiceClientsService,
    private readonly requests: AuthorizationRequestsRepository,
    private readonly consents: OAuthConsentsRepository,
    private readonly login: LoginService,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /** GET /oauth/authorize: an error page until the redirect URI is trusted, then an error redirect, or the sign-in page. */
  async start(query: AuthorizeQuery, origin: HttpOrigin): Promise<AuthorizeAnswer> {
    const target = readRedirectTarget(query);
    if (typeof target === 'string') return this.refuseRequest(origin, null, target);
    const client = await this.clients.findActiveByClientId(target.clientId);
    if (!client || !isAppClient(client)) return this.refuseRequest(origin, null, 'The client_id names no registered app.');
    if (!isRegisteredRedirect(client.redirectUris, target.redirectUri)) {
      return this.refuseRequest(origin, client.id, 'The redirect_uri is not one this app registered, character for character.');
    }
    const checked = checkAuthorization(query, client.scopes);
    if ('error' in checked) {
      await this.record(origin, 'oauth.authorize', 'failure', null, client.id);
      return this.redirect(302, target.redirectUri, { error: checked.error, error_description: checked.description, state: checked.state });
    }
    const secret = newOpaqueToken();
    const id = await this.requests.insert(
      { clientId: client.id, redirectUri: target.redirectUri, ...checked, browserHash: hashOpaqueToken(secret) },
      REQUEST_TTL_SECONDS,
    );
    await this.record(origin, 'oauth.authorize', 'success', null, client.id);
    const page = loginPage({ appName: client.name, scopes: checked.scopes }, { requestId: id, csrf: secret });
    return formAnswer(200, page, target.redirectUri, this.cookie(secret));
  }

  /**
   * POST /oauth/authorize/login: the password checked as POST /auth/login checks it (LoginService.verified: the
   * login limits, one answer for every failure), then the consent page, or the code at once when the user has
   * already granted the app every scope asked for.
   */
  async signIn(form: AuthorizeLoginForm, cookie: string | undefined, origin: HttpOrigin, report: RateLimitReport): Promise<AuthorizeAnswer> {
    const bound = await this.bound(form, cookie, origin);
    if (!bound) return formRefused();
    const { request, client, secret } = bound;
    const access = { appName: client.name, scopes: request.scopes };
    const newSecret = newOpaqueToken();
    const user = await this.login.verified(form, origin, report, 'oauth.login', async (candidate) =>
      (await this.requests.bindUser(request.id, hashOpaqueToken(secret), candidate, hashOpaqueToken(newSecret))) ? candidate : undefined,
    );
    if (!user) {
      const page = loginPage(access, { requestId: request.id, csrf: secret }, 'Invalid email or password.');
      return formAnswer(401, page, request.redirectUri);
    }
    await this.record(origin, 'oauth.login', 'success', user.id, client.id);
    const remembered = await this.consents.granted(user.id, client.id);
    if (request.scopes.every((scope) => remembered.includes(scope)) && !this.unverifiedFor(user, request.scopes)) {
      return this.allow({ request, client, secret: newSecret }, user.id, 'oauth.consent_remembered', origin);
    }
    const page = consentPage(access, { requestId: request.id, csrf: newSecret }, this.unverifiedFor(user, request.scopes));
    return formAnswer(200, page, request.redirectUri, this.cookie(newSecret));
  }

  /** POST /oauth/authorize/consent: Deny sends access_denied; Allow remembers the consent and sends a code. */
  async decide(form: AuthorizeConsentForm, cookie: string | undefined, origin: HttpOrigin): Promise<AuthorizeAnswer> {
    const bound = await this.bound(form, cookie, origin);
    const userId = bound?.request.userId;
    if (!bound || !userId) return formRefused();
    const { request, client, secret } = bound;
    if (form.decision === 'deny') {
      if (!(await this.requests.decide(request.id, hashOpaqueToken(secret)))) return formRefused();
      await this.record(origin, 'oauth.consent', 'failure', userId, client.id);
      return this.redirect(303, request.redirectUri, { error: 'access_denied', error_description: 'The user denied the request', state: request.state });
    }
    // An unverified account was offered no Allow for orders:write (consentPage): one posted anyway is refused.
    const user = await this.users.findById(userId);
    if (!user) return formRefused();
    const unverified = this.unverifiedFor(user, request.scopes);
    if (unverified) return errorAnswer(403, 'This cannot be allowed', unverified);
    await this.consents.grant(userId, client.id, request.scopes);
    return this.allow(bound, userId, 'oauth.consent', origin);
  }

  private async refuseRequest(origin: HttpOrigin, clientId: string | null, why: string): Promise<AuthorizeAnswer> {
    await this.record(origin, 'oauth.authorize', 'failure', null, clientId);
    return errorAnswer(400, 'This request cannot be answered', why);
  }

  /**
   * An unverified account may sign in and look, not spend (requireVerifiedEmail), so it may not let an app place
   * orders either: why Allow is not offered, or undefined when it may be.
   */
  private unverifiedFor(user: Pick<User, 'emailVerifiedAt'>, scopes: readonly Scope[]): string | undefined {
    return user.emailVerifiedAt === null && scopes.includes('orders:write')
      ? 'Verify your e-mail address first: until then no app may place orders in your name.'
      : undefined;
  }

  /** Issues the code (stored by hash only, CODE_TTL_SECONDS) and sends it with `state` and `iss`. */
  private async allow({ request, client, secret }: Bound, userId: string, action: string, origin: HttpOrigin): Promise<AuthorizeAnswer> {
    const code = newOpaqueToken();
    if (!(await this.requests.decide(request.id, hashOpaqueToken(secret), { hash: hashOpaqueToken(code), ttlSeconds: CODE_TTL_SECONDS }))) return formRefused();
    await this.record(origin, action, 'success', userId, client.id);
    return this.redirect(303, request.redirectUri, { code, state: request.state });
  }

  /** The pending request this form names, when the browser's cookie and the form's token agree on it (browser-binding.ts). */
  private async bound(form: AuthorizeFormBinding, cookie: string | undefined, origin: HttpOrigin): Promise<Bound | undefined> {
    const secret = submittedSecret(cookie, form.csrf);
    const request = secret && (await this.requests.findPending(form.request, hashOpaqueToken(secret)));
    const client = request && (await this.clients.findActiveApp(request.clientId));
    if (secret && request && client) return { request, client, secret };
    await this.record(origin, 'oauth.form_refused', 'failure', null, request ? request.clientId : null);
    return undefined;
  }

  private redirect(status: 302 | 303, redirectUri: string, parameters: Record<string, string | undefined>): AuthorizeAnswer {
    return redirectAnswer(status, redirectUri, this.config.publicUrl, parameters, status === 303 ? expiredBindingCookie(this.config.isProduction) : undefined);
  }

  /** The browser's secret, for as long as the browser steps may take. */
  private cookie(secret: string): string {
    return bindingCookie(secret, REQUEST_TTL_SECONDS, this.config.isProduction);
  }

  /** `oauth.*` events: the user once known, the app as the target; never a code, a secret or the state. */
  private record(origin: HttpOrigin, action: string, outcome: AuditOutcome, userId: string | null, clientId: string | null): Promise<void> {
    return this.audit.record({
      ...origin,
      actorType: userId ? 'user' : 'anonymous',
      actorId: userId,
      action,
      targetType: 'app_client',
      targetId: clientId,
      outcome,
    });
  }
}
