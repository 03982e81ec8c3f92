import { DataSource, IsNull, Not } from 'typeorm';
import { RefreshToken } from '../../src/auth/refresh-token.entity';
import { expectInvalidCredentials, manyLoginsEnv, me, refreshRequest } from '../support/auth';
import { customer } from '../support/principals';
import { startTestApp, TestApp } from '../support/test-app';

/** docs/http-contract.md: of concurrent refreshes with one token, exactly one succeeds. Real Postgres, real row locks. */
describe('Concurrent refresh with one token (Postgres)', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ env: manyLoginsEnv() });
  });
  afterAll(() => testApp.close());

  it('has exactly one winner of 10, and the losers count as reuse', async () => {
    const { id, tokens } = await customer(testApp.app);
    const responses = await Promise.all(Array.from({ length: 10 }, () => refreshRequest(testApp.app, tokens.refreshToken)));

    const winners = responses.filter((response) => response.statusCode === 200);
    expect(winners).toHaveLength(1);
    expect(responses.filter((response) => response.statusCode === 401)).toHaveLength(9);
    // One new token was issued from the old one, no more.
    const children = await testApp.app
      .get(DataSource)
      .getRepository(RefreshToken)
      .countBy({ userId: id, parentId: Not(IsNull()) });
    expect(children).toBe(1);

    // A retired token presented again is reuse (RFC 9700 §4.14.2), even by a racing client: the whole
    // session ends, the winner's new tokens included.
    const won = winners[0].json<{ accessToken: string; refreshToken: string }>();
    expectInvalidCredentials(await me(testApp.app, won.accessToken));
    expect((await refreshRequest(testApp.app, won.refreshToken)).statusCode).toBe(401);
  });
});
