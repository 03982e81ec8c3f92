import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { AuditService, RequestOrigin } from '../audit/audit.service';
import { HttpOrigin } from '../audit/request-origin.decorator';
import { PageQuery } from '../common/pagination/page-query.dto';
import { MailOutbox } from '../mail/mail-outbox';
import { ACCOUNT_MAIL } from './account-links/account-mail-kinds';
import { Clock } from '../common/clock';
import { failClosed, unauthorized } from '../security/security-problems';
import { UserToken } from '../security/require-user';
import type { Scope } from '../security/scopes';
import { User } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { AccessTokenIssuer } from './access-token.issuer';
import { hashOpaqueToken, newOpaqueToken } from './opaque-token';
import { ActiveSession, RefreshTokensRepository } from './refresh-tokens.repository';
import type { OwnSession } from './session.policy';
import { Revocations } from './revocation/revocations';
import { ACCESS_TOKEN_TTL_SECONDS, REFRESH_FAMILY_TTL_MS } from './token.constants';

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  /** The access token's scopes, space-separated (the token endpoint's `scope`, RFC 6749 §5.1). */
  scope: string;
}

/** An app a user authorized (the authorization code grant), as its refresh-token families are bound to it. */
export interface AppClientRef {
  /** Its registry id (`service_clients.id`). */
  id: string;
  /** Its public `client_id`, the `client_id` claim of its tokens. */
  clientId: string;
}

/** An app and the scopes the user granted it: what a family opened for it carries through every rotation. */
export interface AppGrant extends AppClientRef {
  scopes: readonly Scope[];
}

interface Family {
  familyId: string;
  parentId: string | null;
  expiresAt: Date;
  /** The user's token generation when the family was opened. */
  tokenGeneration: number;
  /** The app the family was opened for; absent for the user's own login. */
  app?: AppGrant;
}

/** The user a session is for, as read before the password was verified. */
export type SessionUser = Pick<User, 'id' | 'email' | 'role' | 'tokenGeneration' | 'emailVerifiedAt'>;

/**
 * Login sessions: an access token plus a chain ("family") of single-use refresh tokens. Rotation,
 * reuse detection and revocation follow the OAuth 2.0 Security BCP (RFC 9700 §4.14.2). The same families
 * serve the apps users authorize (src/oauth), each bound to its app: one mechanism for both.
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly accessTokens: AccessTokenIssuer,
    private readonly revocations: Revocations,
    private readonly audit: AuditService,
    private readonly apiKeys: ApiKeysService,
    private readonly clock: Clock,
    private readonly outbox: MailOutbox,
  ) {}

  /**
   * A new session (family) for a user who just proved their password, audited as their login, or
   * `undefined` if that proof is no longer current. The password was verified outside any
   * transaction (argon2 takes ~100 ms); a password change or suspension may have committed since. So
   * the session is written only if the user's generation is still the one read before the
   * verification, checked by an UPDATE that also takes the user's row lock until this transaction
   * commits: a revocation running at the same time either committed first (the generation differs:
   * no session) or waits for this one and then revokes the family it can now see.
   */
  async open(user: SessionUser, origin: HttpOrigin): Promise<Tokens | undefined> {
    return this.dataSource.transaction(async (manager) => {
      if (!(await this.users.recordLoginIfCurrent(user.id, user.tokenGeneration, manager))) return undefined;
      // A sign-in from an address and user agent this user has not signed in from before: the owner is told
      // (OWASP Authentication Cheat Sheet, "notify users of unusual sign-ins"), in this transaction's outbox.
      if ((await this.refreshTokens.deviceSeen(user.id, origin.ip, origin.userAgent ?? null, manager)) === 'new') {
        const params = { ip: origin.ip, ...(origin.userAgent && { userAgent: origin.userAgent }) };
        await this.outbox.enqueue({ kind: ACCOUNT_MAIL.newSignIn, recipient: user.email, userId: user.id, params }, manager);
      }
      const family = {
        familyId: randomUUID(),
        parentId: null,
        expiresAt: new Date(this.clock.now().getTime() + REFRESH_FAMILY_TTL_MS),
        tokenGeneration: user.tokenGeneration,
      };
      const tokens = await this.issue(manager, user, family, origin);
      await this.audit.record(
        { ...origin, actorType: 'user', actorId: user.id, action: 'auth.login', targetType: 'user', targetId: user.id, outcome: 'success' },
        manager,
      );
      return tokens;
    });
  }

  /**
   * A new family for an app the user just authorized (the code exchange), in the caller's transaction, with
   * the generation the user's proof was made in (a later revocation voids it) and the id the redeemed code names.
   */
  openForApp(
    user: SessionUser,
    app: AppGrant,
    family: { familyId: string; tokenGeneration: number },
    origin: HttpOrigin,
    manager: EntityManager,
  ): Promise<Tokens> {
    const expiresAt = new Date(this.clock.now().getTime() + REFRESH_FAMILY_TTL_MS);
    return this.issue(manager, user, { ...family, parentId: null, expiresAt, app }, origin);
  }

  /** Exchanges a refresh token of the user's own login for a new pair, once; the old token is retired. */
  async refresh(refreshToken: string, origin: HttpOrigin): Promise<Tokens> {
    const tokenHash = hashOpaqueToken(refreshToken);
    const tokens = await this.dataSource.transaction((manager) => this.rotate(tokenHash, null, origin, manager));
    if (tokens) return tokens;
    await this.refuseRefresh(tokenHash, origin);
    throw unauthorized('Invalid refresh token', false);
  }

  /**
   * Retires a refresh token and issues the next pair of its family, in the caller's transaction; `undefined` if
   * the token cannot be claimed (then refuseRefresh). `app`: the client presenting it, or null for the user's own
   * login; a token of any other client's family is not claimed (RefreshTokensRepository.claim).
   */
  async rotate(tokenHash: string, app: AppClientRef | null, origin: HttpOrigin, manager: EntityManager): Promise<Tokens | undefined> {
    const claimed = await this.refreshTokens.claim(tokenHash, app?.id ?? null, manager);
    if (!claimed) return undefined;
    const user = await this.users.get(claimed.userId, manager);
    await this.audit.record(
      { ...origin, actorType: 'user', actorId: user.id, action: 'auth.refresh', targetType: 'user', targetId: user.id, outcome: 'success' },
      manager,
    );
    const family = { familyId: claimed.familyId, parentId: claimed.id, expiresAt: claimed.expiresAt, tokenGeneration: claimed.tokenGeneration };
    return this.issue(manager, user, { ...family, ...(app && { app: { ...app, scopes: claimed.scopes ?? [] } }) }, origin);
  }

  /** Ends the session of this access token: the token itself and its whole refresh family. */
  async logout(token: UserToken, origin: RequestOrigin): Promise<void> {
    const session = await this.refreshTokens.findByAccessTokenId(token.tokenId);
    const familyTokens = session ? await this.refreshTokens.revokeFamily(session.familyId) : [];
    const self = { subject: token.userId, tokenId: token.tokenId, expiresAt: token.expiresAt };
    await failClosed(() => this.revocations.revokeTokens([self, ...familyTokens]));
    await this.audit.record({
      ...origin,
      actorType: 'user',
      actorId: token.userId,
      action: 'auth.logout',
      targetType: 'user',
      targetId: token.userId,
      outcome: 'success',
    });
  }

  /**
   * Ends every session of a user at once, on every instance: every access token and refresh family
   * issued until now, and every API key (a key minted by whoever stole the old password must die
   * with it). For password change and suspension, inside the caller's transaction (`manager`), which
   * rolls back with a 503 if the revocation store cannot be written (Revocations.advanceGeneration).
   */
  async revokeAllForUser(userId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await this.endAllSessions(userId, manager);
    await this.apiKeys.revokeAllOf({ kind: 'user', id: userId }, manager);
  }

  /** Ends a family and, on every instance, every access token issued in it (an authorization code used twice). */
  async endFamily(familyId: string): Promise<void> {
    const familyTokens = await this.refreshTokens.revokeFamily(familyId);
    await failClosed(() => this.revocations.revokeTokens(familyTokens));
  }

  /**
   * Ends every family of an app (its deletion), or of one user's for it (`userId`: a withdrawn authorization), and,
   * on every instance, every access token issued in them, in the caller's transaction, which rolls back with a 503
   * if the revocation store cannot be written.
   */
  async endAllOfClient(clientId: string, manager: EntityManager, userId?: string): Promise<void> {
    const familyTokens = await this.refreshTokens.revokeAllOfClient(clientId, manager, userId);
    await failClosed(() => this.revocations.revokeTokens(familyTokens));
  }

  /**
   * "Sign out everywhere": every access token and refresh family of the user until now, this one included, on
   * every instance, by moving the user's token generation on (docs/decisions/0009), exact even against a
   * refresh racing it. API keys stay: they are listed and revoked at /api-keys. Links mailed before are void
   * too, since they are bound to the generation (AccountTokensRepository.redeem).
   */
  async endAllSessions(userId: string, manager: EntityManager): Promise<void> {
    await this.revocations.advanceGeneration(userId, () => this.users.advanceTokenGeneration(userId, manager));
    await this.refreshTokens.revokeAllOfUser(userId, manager);
  }

  /** "Sign out everywhere" as its own request, audited. */
  async revokeAll(token: UserToken, origin: RequestOrigin): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.endAllSessions(token.userId, manager);
      await this.audit.record({ ...origin, ...this.userEvent(token.userId, 'auth.sessions_revoke_all'), outcome: 'success' }, manager);
    });
  }

  /** The caller's sessions that still work (GET /auth/sessions). */
  list(token: UserToken, page: PageQuery): Promise<[ActiveSession[], number]> {
    return this.refreshTokens.activeSessions(token.userId, token.tokenId, page.limit, page.offset);
  }

  /**
   * Ends one of the caller's sessions (SessionPolicy found it theirs): its refresh tokens, and at once every access
   * token issued in it, on every instance (the revocation store).
   */
  async end(session: OwnSession, origin: RequestOrigin): Promise<void> {
    const familyTokens = await this.refreshTokens.revokeFamily(session.id);
    await failClosed(() => this.revocations.revokeTokens(familyTokens));
    await this.audit.record({ ...origin, ...this.userEvent(session.userId, 'auth.session_revoke'), outcome: 'success' });
  }

  private userEvent(userId: string, action: string) {
    return { actorType: 'user', actorId: userId, action, targetType: 'user', targetId: userId } as const;
  }

  private async issue(manager: EntityManager, user: SessionUser, { app, ...family }: Family, origin: HttpOrigin): Promise<Tokens> {
    const subject = { id: user.id, tokenGeneration: family.tokenGeneration, emailVerified: user.emailVerifiedAt !== null };
    const access = app ? this.accessTokens.issueForApp(subject, app) : this.accessTokens.issue({ ...subject, role: user.role });
    const refreshToken = newOpaqueToken();
    await this.refreshTokens.insert(
      {
        ...family,
        clientId: app?.id ?? null,
        scopes: app ? [...app.scopes] : null,
        tokenHash: hashOpaqueToken(refreshToken),
        userId: user.id,
        accessTokenId: access.id,
        accessTokenExpiresAt: new Date(access.expiresAt * 1000),
        ip: origin.ip,
        userAgent: origin.userAgent ?? null,
      },
      manager,
    );
    return { accessToken: access.token, refreshToken, tokenType: 'Bearer', expiresIn: ACCESS_TOKEN_TTL_SECONDS, scope: access.scope };
  }

  /**
   * A refresh token that could not be claimed is unknown, expired, revoked, already used, or another
   * client's. Used means someone replays a retired token, the client or a thief, and we cannot tell
   * which: the whole family is revoked, with every access token issued from it, whoever presents it.
   */
  async refuseRefresh(tokenHash: string, origin: RequestOrigin): Promise<void> {
    const known = await this.refreshTokens.findByHash(tokenHash);
    const reused = known !== null && known.usedAt !== null;
    if (reused) await this.endFamily(known.familyId);
    await this.audit.record({
      ...origin,
      actorType: 'anonymous',
      actorId: null,
      action: reused ? 'auth.refresh_reuse' : 'auth.refresh',
      targetType: known ? 'user' : null,
      targetId: known?.userId ?? null,
      outcome: 'failure',
    });
  }
}
