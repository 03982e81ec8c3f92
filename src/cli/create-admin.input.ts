import { isEmail } from 'class-validator';
import { emailProblem, normalizeEmail } from '../users/account-text';
import { passwordProblem } from '../users/password-policy';

export const CREATE_ADMIN_USAGE = 'Usage: npm run create-admin -- --email <email>   (the password is read from standard input)';

/** A mistake in how the command was called: its message is shown as is, and never quotes a password. */
export class UsageError extends Error {}

/** `--email <email>`, normalized and held to the same rules as the API's (src/users/account-text.ts). */
export function emailArgument(args: string[]): string {
  const [flag, value, ...rest] = args;
  if (flag !== '--email' || value === undefined || rest.length > 0) throw new UsageError(CREATE_ADMIN_USAGE);
  const email = normalizeEmail(value);
  if (!isEmail(email) || email.length > 254 || emailProblem(email)) throw new UsageError(`Not a valid email address: ${JSON.stringify(value)}`);
  return email;
}

/** The password line, held to the API's rules (src/users/password-policy.ts); not trimmed, every character counts. */
export function passwordFromLine(line: string | undefined): string {
  const password = line ?? '';
  const problem = passwordProblem(password);
  if (problem) throw new UsageError(`The password ${problem}`);
  return password;
}
