import { randomBytes } from 'node:crypto';
import type { BenchDatabase } from './bench-database';

/** Every request the bench sends claims to have come through a TLS-terminating proxy (production refuses plain HTTP). */
export const PROXY_HEADERS = { 'x-forwarded-proto': 'https' } as const;

export interface Customer {
  email: string;
  password: string;
  accessToken: string;
  orderId: string;
  /** Undefined when the API-key route is not available (scenario 4 is then skipped). */
  apiKey?: string;
}

export interface SeedData {
  customers: Customer[];
  productIds: string[];
  /** Why scenario 4 cannot run, if it cannot. */
  apiKeysUnavailable?: string;
}

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/** Plain JSON over HTTP to the service, with the proxy header. */
export async function call(baseUrl: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...PROXY_HEADERS, ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function expectStatus(reply: Promise<Reply>, status: number, what: string): Promise<Record<string, unknown>> {
  const { status: actual, body } = await reply;
  if (actual !== status) throw new Error(`seeding: ${what} answered ${actual} (expected ${status}): ${JSON.stringify(body)}`);
  return body;
}

/** Runs `work` on every item with at most `limit` at once (registration hashes a password: argon2id). */
async function eachLimited<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export async function login(baseUrl: string, email: string, password: string): Promise<string> {
  const tokens = await expectStatus(call(baseUrl, 'POST', '/api/v1/auth/login', { email, password }), 200, `login of ${email}`);
  return String(tokens.accessToken);
}

/**
 * Seeds through the public API (as a client would), except the admin's promotion and the address
 * verifications, which are SQL on the bench database (sign-up answers 202 and mails a link; an
 * unverified account may not order or create API keys): customers (register, verified, login), an
 * admin, products with stock that never runs out, one order per customer, and one API key per customer.
 */
export async function seed(baseUrl: string, database: BenchDatabase, counts: { customers: number; products: number }): Promise<SeedData> {
  const run = randomBytes(4).toString('hex');
  const password = `bench-password-${randomBytes(8).toString('hex')}`;

  const adminEmail = `bench-admin-${run}@example.com`;
  await expectStatus(call(baseUrl, 'POST', '/api/v1/auth/register', { email: adminEmail, password, name: 'Bench admin' }), 202, 'admin registration');
  await database.query(`UPDATE users SET role = 'admin', email_verified_at = now() WHERE email = $1`, [adminEmail]);
  const adminToken = await login(baseUrl, adminEmail, password);

  const productIds = await eachLimited(Array.from({ length: counts.products }), 4, async (_, index) => {
    const product = {
      sku: `BENCH-${run}-${index}`,
      name: `Bench product ${index}`,
      priceCents: 1000 + index,
      currency: 'EUR',
      stock: 1_000_000,
      costCents: 500,
    };
    const created = await expectStatus(call(baseUrl, 'POST', '/api/v1/products', product, { authorization: `Bearer ${adminToken}` }), 201, 'product creation');
    return String(created.id);
  });

  const emails = Array.from({ length: counts.customers }, (_, index) => `bench-${run}-${index}@example.com`);
  const customers = await eachLimited(emails, 4, async (email, index): Promise<Customer> => {
    await expectStatus(call(baseUrl, 'POST', '/api/v1/auth/register', { email, password, name: `Bench customer ${index}` }), 202, 'customer registration');
    await database.query(`UPDATE users SET email_verified_at = now() WHERE email = $1`, [email]);
    const accessToken = await login(baseUrl, email, password);
    const auth = { authorization: `Bearer ${accessToken}` };
    const order = await expectStatus(
      call(baseUrl, 'POST', '/api/v1/orders', { items: [{ productId: productIds[index % productIds.length], quantity: 1 }] }, auth),
      201,
      'order placement',
    );
    return { email, password, accessToken, orderId: String(order.id) };
  });

  const apiKeysUnavailable = await createApiKeys(baseUrl, customers);
  return { customers, productIds, apiKeysUnavailable };
}

/** One key per customer, or the reason there are none (the route may not exist yet). */
async function createApiKeys(baseUrl: string, customers: Customer[]): Promise<string | undefined> {
  for (const customer of customers) {
    const reply = await call(baseUrl, 'POST', '/api/v1/api-keys', { name: 'bench' }, { authorization: `Bearer ${customer.accessToken}` });
    if (reply.status !== 201 || typeof reply.body.key !== 'string') {
      return `POST /api/v1/api-keys answered ${reply.status}${reply.status === 404 ? ' (route not available yet)' : ''}`;
    }
    customer.apiKey = reply.body.key;
  }
  return undefined;
}
