import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PasswordHasher } from './password-hasher';
import type { UserRole } from '../security/roles';
import { UsersRepository } from './users.repository';

const DEMO_ACCOUNTS: Array<{ email: string; name: string; role: UserRole }> = [
  { email: 'admin@example.com', name: 'Demo Admin', role: 'admin' },
  { email: 'customer@example.com', name: 'Demo Customer', role: 'customer' },
];

export interface DemoAccount {
  email: string;
  role: UserRole;
  password: string;
}

/** Where the demo accounts' passwords are kept (main.ts's start-up banner points to it). */
export function demoCredentialsFile(dataDir: string): string {
  return join(dataDir, 'demo-credentials.txt');
}

/**
 * On the first start of the embedded mode, a demo admin and a demo customer, each with a random
 * password: never a fixed default one (OWASP ASVS V2.3.1; CWE-1392), which every clone would share.
 */
@Injectable()
export class DemoAccountsSeeder {
  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  /**
   * Shows the passwords once, on the console, and keeps them in `<dataDir>/demo-credentials.txt`,
   * readable by the owner only. Returns the accounts made (none when the database has users).
   */
  async seedIfEmpty(dataDir: string): Promise<DemoAccount[]> {
    if ((await this.users.count()) > 0) return [];
    const accounts = DEMO_ACCOUNTS.map((account) => ({ ...account, password: randomBytes(18).toString('base64url') }));
    for (const { password, ...account } of accounts) {
      // Verified: the demo accounts have example addresses no mail could reach.
      await this.users.insert({ ...account, passwordHash: await this.hasher.hash(password), emailVerifiedAt: new Date() });
    }
    const path = demoCredentialsFile(dataDir);
    const text = accounts.map(({ role, email, password }) => `${role.padEnd(9)} ${email.padEnd(22)} ${password}`).join('\n');
    // A file left by an earlier database is replaced; 'wx' then creates it afresh, with mode 0600.
    rmSync(path, { force: true });
    writeFileSync(path, `${text}\n`, { mode: 0o600, flag: 'wx' });
    console.log(`Demo accounts (shown once; also saved to ${path}, readable only by you):\n${text}`);
    return accounts.map(({ email, role, password }) => ({ email, role, password }));
  }
}
