import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Browser, Locator } from 'playwright-core';
import { uniqueEmail } from '../support/auth';
import { inFreshPage, launchChromium } from '../support/chromium';
import { startTestApp, TestApp } from '../support/test-app';

/** docs/http-contract.md, Response headers: the policy of every route but the docs page. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * The docs page (Swagger UI) in a real browser, which enforces the Content-Security-Policy that
 * the HTTP suites can only read: the relaxed policy on /docs must let the UI load, authorize and
 * call the API, with no violation, while every other route keeps the strict one.
 */
describe('The docs page in headless Chromium (docs/http-contract.md, Docs)', () => {
  let testApp: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let email: string;
  let accessToken: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    // A real socket, loopback only: the browser cannot use app.inject().
    await testApp.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = testApp.app.getHttpServer().address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
    ({ email, accessToken } = await registerAndLogIn(baseUrl));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('relaxes the CSP on /docs only: an API route keeps the strict policy', async () => {
    const docs = await fetch(`${baseUrl}/docs`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-security-policy')).toContain("script-src 'self'");

    const products = await fetch(`${baseUrl}/api/v1/products`);
    expect(products.status).toBe(200);
    expect(products.headers.get('content-security-policy')).toBe(API_CSP);
  });

  it('calls GET /users/me from the UI: 401 before "Authorize", 200 with the token, and no CSP violation', async () => {
    const problems = await inFreshPage(browser, 'The docs page', async (page) => {
      await page.goto(`${baseUrl}/docs`);
      const operation = page.locator('.opblock-get').filter({ has: page.locator('[data-path="/api/v1/users/me"]') });
      await operation.locator('.opblock-summary-control').click();
      await operation.getByRole('button', { name: 'Try it out' }).click();

      // Negative control first: before the dialog, the UI sends no credential.
      expect(await execute(operation)).toMatchObject({ status: 401 });
      // Removes that response, so the next one read is certainly the new one.
      await operation.getByRole('button', { name: 'Clear' }).click();

      await page.getByRole('button', { name: 'Authorize', exact: true }).click();
      // The dialog has one form per security scheme; this one is titled "<name> (http, Bearer)".
      const bearerForm = page.locator('.modal-ux form').filter({ hasText: '(http, Bearer)' });
      await bearerForm.getByLabel('auth-bearer-value').fill(accessToken);
      await bearerForm.getByRole('button', { name: 'Apply credentials' }).click();
      await bearerForm.getByRole('button', { name: 'Close', exact: true }).click();

      const authorized = await execute(operation);
      expect(authorized.status).toBe(200);
      expect(authorized.body).toContain(email);
    });
    expect(problems).toEqual({
      cspViolations: [],
      // Chromium logs every 4xx fetch; this one is the negative control's, and nothing else may appear.
      consoleErrors: ['Failed to load resource: the server responded with a status of 401 (Unauthorized)'],
      pageErrors: [],
    });
  });
});

/** A new customer and its access token, over real HTTP (docs/http-contract.md, Auth). */
async function registerAndLogIn(baseUrl: string): Promise<{ email: string; accessToken: string }> {
  const credentials = { email: uniqueEmail('docs'), password: `pw-${randomUUID()}` };
  const registered = await postJson(`${baseUrl}/api/v1/auth/register`, { ...credentials, name: 'Docs Reader' });
  if (registered.status !== 202) throw new Error(`register answered ${registered.status}: ${await registered.text()}`);
  const loggedIn = await postJson(`${baseUrl}/api/v1/auth/login`, credentials);
  if (loggedIn.status !== 200) throw new Error(`login answered ${loggedIn.status}: ${await loggedIn.text()}`);
  const { accessToken } = (await loggedIn.json()) as { accessToken: string };
  return { email: credentials.email, accessToken };
}

function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Clicks "Execute" and reads the status code and body Swagger UI shows for the call. */
async function execute(operation: Locator): Promise<{ status: number; body: string }> {
  await operation.getByRole('button', { name: 'Execute' }).click();
  const response = operation.locator('.live-responses-table .response');
  // The cell reads e.g. "401\nUndocumented" for a code the OpenAPI document does not list.
  const status = Number.parseInt(await response.locator('.response-col_status').innerText(), 10);
  const body = await response.locator('.response-col_description').innerText();
  return { status, body };
}
