import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { DataRetention } from '../../src/database/data-retention';
import { refreshRequest } from '../support/auth';
import { insertProduct, insertUser } from '../support/fixtures';
import { Caller, customer } from '../support/principals';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The retention sweep deletes what has outlived its use, and nothing that still matters: a session
 * in its last hour keeps working, a day-old idempotency key still replays its order, a mailed link's
 * token is kept a day past its expiry, and a mail a week past being done (a pending one for ever).
 */
describe('data retention sweep', () => {
  let testApp: TestApp;
  let app: NestFastifyApplication;
  let db: DataSource;
  let alice: Caller;

  beforeAll(async () => {
    testApp = await startTestApp();
    app = testApp.app;
    db = app.get(DataSource);
    alice = await customer(app);
  });
  afterAll(() => testApp.close());

  const countRows = async (sql: string, params: unknown[] = []): Promise<number> => Number((await db.query(sql, params))[0].count);

  it('deletes refresh-token families an hour past their end, whole families at a time, and keeps live ones', async () => {
    // A rotated family: its second token's parent_id points at the first, so the two must go together.
    const rotated = await customer(app);
    const refreshed = await refreshRequest(app, rotated.tokens.refreshToken);
    expect(refreshed.statusCode).toBe(200);
    const [{ family_id: rotatedFamily }] = await db.query(`SELECT family_id FROM refresh_tokens WHERE user_id = $1 LIMIT 1`, [rotated.id]);
    await db.query(`UPDATE refresh_tokens SET expires_at = now() - interval '2 hours' WHERE family_id = $1`, [rotatedFamily]);
    // Just ended: within the hour the sweep waits, so it stays.
    const recent = await customer(app);
    await db.query(`UPDATE refresh_tokens SET expires_at = now() - interval '30 minutes' WHERE user_id = $1`, [recent.id]);
    // More expired families than one batch holds, so the sweep has to loop.
    const owner = await insertUser(db);
    await db.query(
      `INSERT INTO refresh_tokens (token_hash, family_id, user_id, expires_at, access_token_id, access_token_expires_at)
       SELECT md5(i::text) || md5(i::text || 'x'), gen_random_uuid(), $1, now() - interval '1 day', gen_random_uuid(), now() - interval '1 day'
       FROM generate_series(1, 1200) AS i`,
      [owner.id],
    );

    const deleted = await app.get(DataRetention).sweep();

    expect(deleted.refreshTokens).toBe(1200 + 2);
    expect(await countRows(`SELECT count(*) FROM refresh_tokens WHERE family_id = $1`, [rotatedFamily])).toBe(0);
    expect(await countRows(`SELECT count(*) FROM refresh_tokens WHERE user_id = $1`, [owner.id])).toBe(0);
    expect(await countRows(`SELECT count(*) FROM refresh_tokens WHERE user_id = $1`, [recent.id])).toBe(1);
    // The live session still refreshes; a purged token is an ordinary 401, not an error.
    expect((await refreshRequest(app, alice.tokens.refreshToken)).statusCode).toBe(200);
    expect((await refreshRequest(app, refreshed.json().refreshToken)).statusCode).toBe(401);
  });

  it('deletes idempotency keys older than 24 hours and keeps younger ones replaying', async () => {
    const product = await insertProduct(db, { stock: 100 });
    const placeOrder = (key: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/orders',
        headers: { ...alice.headers, 'idempotency-key': key },
        payload: { items: [{ productId: product.id, quantity: 1 }] },
      });
    expect((await placeOrder('old-key')).statusCode).toBe(201);
    expect((await placeOrder('young-key')).statusCode).toBe(201);
    await db.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'old-key'`);
    await db.query(`UPDATE idempotency_keys SET created_at = now() - interval '23 hours' WHERE key = 'young-key'`);

    const deleted = await app.get(DataRetention).sweep();

    expect(deleted.idempotencyKeys).toBe(1);
    const replay = await placeOrder('young-key');
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    // The swept key is free again (docs/http-contract.md keeps keys "at least 24 hours"): it places a new order.
    const reuse = await placeOrder('old-key');
    expect(reuse.statusCode).toBe(201);
    expect(reuse.headers['idempotent-replayed']).toBeUndefined();
  });

  it('deletes account tokens expired over a day ago, and keeps those expired since and the live ones', async () => {
    const insertToken = async (expiresAt: string): Promise<string> =>
      (
        await db.query<Array<{ id: string }>>(
          `INSERT INTO account_tokens (token_hash, purpose, user_id, user_email, token_generation, expires_at, created_at)
           VALUES (encode(sha256(gen_random_uuid()::text::bytea), 'hex'), 'email_verification', $1, $2, 0, ${expiresAt}, now() - interval '30 days')
           RETURNING id`,
          [alice.id, alice.email],
        )
      )[0].id;
    const [old, lately, fresh] = [
      await insertToken(`now() - interval '25 hours'`),
      await insertToken(`now() - interval '23 hours'`),
      await insertToken(`now() + interval '1 hour'`),
    ];

    const deleted = await app.get(DataRetention).sweep();

    expect(deleted.accountTokens).toBe(1);
    const left = (await db.query<Array<{ id: string }>>(`SELECT id FROM account_tokens WHERE id = ANY($1::uuid[])`, [[old, lately, fresh]])).map(
      (row) => row.id,
    );
    expect(left.sort()).toEqual([lately, fresh].sort());
  });

  it('deletes mails done over 7 days ago, and keeps recent ones and every one still pending, however old', async () => {
    // Created a month ago, all three: what counts is when a mail was done, not when it was queued. The pending one
    // waits for its backoff (send_after ahead), so the outbox worker leaves it alone while the test runs.
    const insertMail = async (doneAt: string | null, outcome: string | null): Promise<string> =>
      (
        await db.query<Array<{ id: string }>>(
          `INSERT INTO mail_outbox (kind, recipient, user_id, created_at, send_after, attempts, done_at, outcome)
           VALUES ('email_verification', $1, $2, now() - interval '30 days', now() + interval '1 hour', 3, ${doneAt ?? 'NULL'}, $3)
           RETURNING id`,
          [alice.email, alice.id, outcome],
        )
      )[0].id;
    const [old, recent, pending] = [
      await insertMail(`now() - interval '8 days'`, 'sent'),
      await insertMail(`now() - interval '6 days'`, 'sent'),
      await insertMail(null, null),
    ];

    const deleted = await app.get(DataRetention).sweep();

    expect(deleted.mailOutbox).toBe(1);
    const left = (await db.query<Array<{ id: string }>>(`SELECT id FROM mail_outbox WHERE id = ANY($1::uuid[])`, [[old, recent, pending]])).map(
      (row) => row.id,
    );
    expect(left.sort()).toEqual([recent, pending].sort());
  });

  it('deletes authorization requests a day past their end, and keeps the recent ones', async () => {
    const client = (
      await db.query<Array<{ id: string }>>(
        `INSERT INTO service_clients (client_id, name, scopes, client_type, grant_types, redirect_uris)
         VALUES ('app.' || substr(md5(random()::text), 1, 22), 'Retained', '{orders:read}', 'public', '{authorization_code,refresh_token}', '{https://app.example/cb}')
         RETURNING id`,
      )
    )[0].id;
    const insertRequest = async (expiresAt: string): Promise<string> =>
      (
        await db.query<Array<{ id: string }>>(
          `INSERT INTO authorization_requests (client_id, redirect_uri, scopes, state, code_challenge, browser_hash, expires_at)
           VALUES ($1, 'https://app.example/cb', '{orders:read}', 's', repeat('a', 43), md5(random()::text) || md5(random()::text), ${expiresAt})
           RETURNING id`,
          [client],
        )
      )[0].id;
    const [old, lately] = [await insertRequest(`now() - interval '25 hours'`), await insertRequest(`now() - interval '23 hours'`)];

    const deleted = await app.get(DataRetention).sweep();

    expect(deleted.authorizationRequests).toBe(1);
    const left = (await db.query<Array<{ id: string }>>(`SELECT id FROM authorization_requests WHERE id = ANY($1::uuid[])`, [[old, lately]])).map(
      (row) => row.id,
    );
    expect(left).toEqual([lately]);
  });
});
