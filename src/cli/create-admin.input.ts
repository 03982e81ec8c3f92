import { isEmail } from 'class-validator';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../users/password-policy';

export const CREATE_ADMIN_USAGE = 'Usage: npm run create-admin -- --email <email>   (the password is read from standard input)';

/** A mistake in how the command was called: its message is shown as is, and never quotes a password. */
export class UsageError extends Error {}

/** `--email <email>`, normalized to lower case as the API does. */
export function emailArgument(args: string[]): string {
  const [flag, value, ...rest] = args;
  if (flag !== '--email' || value === undefined || rest.length > 0) throw new UsageError(CREATE_ADMIN_USAGE);
  const email = value.trim().toLowerCase();
  if (!isEmail(email) || email.length > 254) throw new UsageError(`Not a valid email address: ${value}`);
  return email;
}

/** The password line, held to the API's rule (12 to 128 characters); not trimmed, every character counts. */
export function passwordFromLine(line: string | undefined): string {
  const password = line ?? '';
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    throw new UsageError(`The password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`);
  }
  return password;
}
