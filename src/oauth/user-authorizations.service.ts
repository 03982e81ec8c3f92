import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService, RequestOrigin } from '../audit/audit.service';
import { SessionsService } from '../auth/sessions.service';
import { ProblemException } from '../common/http/problem.exception';
import { PageQuery } from '../common/pagination/page-query.dto';
import { UserToken } from '../security/require-user';
import { AuthorizationPolicy } from './authorization.policy';
import { AuthorizationRequestsRepository } from './authorization-requests.repository';
import { GrantedApp, OAuthConsentsRepository, OwnAuthorization } from './oauth-consents.repository';

/** The apps a user authorized, and withdrawing one (docs/http-contract.md, Delegated authorization). */
@Injectable()
export class UserAuthorizationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly consents: OAuthConsentsRepository,
    private readonly requests: AuthorizationRequestsRepository,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  list(token: UserToken, page: PageQuery): Promise<[GrantedApp[], number]> {
    return this.consents.page(token.userId, page.limit, page.offset);
  }

  /**
   * Forgets the consent and ends, at once and on every instance, every token of the app for this user: its refresh
   * families and every access token issued in them, and any code or sign-in page of it still pending. One transaction, which rolls back with a 503 if the revocation
   * store cannot be written, so the consent is never gone while a token still works.
   */
  async withdraw(authorization: OwnAuthorization, origin: RequestOrigin): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // The consent first: deleting it waits for a code redemption in flight (it holds the row), so the revocation
      // below sees the family it opens. A refresh racing this is caught by the revocation itself (revokeAll's loop).
      if (!(await this.consents.withdraw(authorization, manager))) throw new ProblemException(404, AuthorizationPolicy.notFound);
      await this.requests.endPending(authorization.userId, authorization.appId, manager);
      await this.sessions.endAllOfClient(authorization.appId, manager, authorization.userId);
      await this.audit.record(
        {
          ...origin,
          actorType: 'user',
          actorId: authorization.userId,
          action: 'oauth.authorization_revoke',
          targetType: 'app_client',
          targetId: authorization.appId,
          outcome: 'success',
        },
        manager,
      );
    });
  }
}
