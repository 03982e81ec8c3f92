import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { User } from '../../src/users/user.entity';
import { Account, bearer, login, register, TokenPair } from './auth';

/** A logged-in caller: the account, its tokens, and the headers that send its access token. */
export interface Caller extends Account {
  tokens: TokenPair;
  headers: Record<string, string>;
}

/** A self-registered customer, logged in. */
export async function customer(app: NestFastifyApplication): Promise<Caller> {
  return loggedIn(app, await register(app));
}

/** An admin: registered, promoted in the database (as `npm run create-admin` does), then logged in. */
export async function admin(app: NestFastifyApplication): Promise<Caller> {
  const account = await register(app);
  await app.get(DataSource).getRepository(User).update({ id: account.id }, { role: 'admin' });
  return loggedIn(app, account);
}

async function loggedIn(app: NestFastifyApplication, account: Account): Promise<Caller> {
  const tokens = await login(app, account);
  return { ...account, tokens, headers: bearer(tokens.accessToken) };
}
