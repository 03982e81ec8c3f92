import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { User } from '../../src/users/user.entity';
import { Account, login, register, TokenPair } from './auth';

export interface Caller extends Account {
  tokens: TokenPair;
  headers: Record<string, string>;
}

/** A self-registered customer, logged in. */
export async function customer(app: NestFastifyApplication): Promise<Caller> {
  const account = await register(app);
  const tokens = await login(app, account);
  return { ...account, tokens, headers: { authorization: `Bearer ${tokens.accessToken}` } };
}

/** An admin: registered, promoted in the database (as `npm run create-admin` does), then logged in. */
export async function admin(app: NestFastifyApplication): Promise<Caller> {
  const account = await register(app);
  await app.get(DataSource).getRepository(User).update({ id: account.id }, { role: 'admin' });
  const tokens = await login(app, account);
  return { ...account, tokens, headers: { authorization: `Bearer ${tokens.accessToken}` } };
}
