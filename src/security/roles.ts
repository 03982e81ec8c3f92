/**
 * A user's role (docs/http-contract.md, Roles and scopes). In the kernel, not in users/, because the guards, the
 * `@Roles()` decorator and the Principal all speak of it; the `users` table only stores it.
 */
export type UserRole = 'customer' | 'admin';
