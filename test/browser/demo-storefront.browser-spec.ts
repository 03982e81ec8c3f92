import { DataSource } from 'typeorm';
import { Browser, Page, Request } from 'playwright-core';
import { Account, bearer, manyLoginsEnv, register } from '../support/auth';
import { inFreshPage, launchChromium } from '../support/chromium';
import { insertProduct } from '../support/fixtures';
import { AppClient, appClient } from '../support/oauth-apps';
import { admin, Caller, customer } from '../support/principals';
import { IssuerTestApp, startTestAppAsIssuer } from '../support/test-app';

const MUG = { name: 'Enamel mug', priceCents: 1200 };

/** What the token endpoint answered the page (RFC 6749 §5.1, §5.2), read as the page got it. */
interface TokenAnswer {
  grantType: string | null;
  status: number;
  body: { access_token?: string; refresh_token?: string; expires_in?: number; error?: string };
}

/**
 * The demo storefront (demo/) in a real browser, over a real loopback socket, as its user meets it: Chromium runs
 * the page's own code (PKCE with crypto.subtle, the redirect and its checks, the token requests, the silent
 * refresh and the revocation) under the page's CSP, against the authorization endpoint's real sign-in and consent
 * pages. The issuer (PUBLIC_URL) is the test server's own origin, as the page checks it is (RFC 8414 §3.3).
 */
describe('The demo storefront in headless Chromium (the authorization code flow with PKCE, RFC 6749 §4.1, RFC 7636)', () => {
  let testApp: IssuerTestApp;
  let browser: Browser;
  let root: Caller;
  let demo: AppClient;
  /** Another customer's order, placed through the API. */
  let bobsOrder: { owner: Caller; id: string };
  /** An address on the test server, as the browser reaches it. */
  const at = (path: string) => `${testApp.origin}${path}`;
  const tokenEndpoint = () => at('/api/v1/oauth/token');

  beforeAll(async () => {
    // A real socket, loopback only: the browser cannot use app.inject().
    testApp = await startTestAppAsIssuer({ env: manyLoginsEnv() });
    root = await admin(testApp.app);
    demo = await appClient(testApp.app, root, { name: 'Storefront demo', type: 'public', redirectUris: [at('/demo/')] });
    const product = await insertProduct(testApp.app.get(DataSource), MUG);
    const bob = await customer(testApp.app);
    const payload = { items: [{ productId: product.id, quantity: 1 }] };
    const placed = await testApp.app.inject({ method: 'POST', url: '/api/v1/orders', headers: bob.headers, payload });
    bobsOrder = { owner: bob, id: placed.json<{ id: string }>().id };
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  /** Opens the demo on `page`, with a record of what the page asked the token endpoint and what it answered. */
  async function openDemo(page: Page): Promise<{ tokenRequests: Request[]; tokenAnswers: () => Promise<TokenAnswer[]> }> {
    const tokenRequests: Request[] = [];
    const answers: Promise<TokenAnswer>[] = [];
    page.on('request', (request) => {
      if (request.url() === tokenEndpoint()) tokenRequests.push(request);
    });
    page.on('response', (response) => {
      if (response.url() !== tokenEndpoint()) return;
      const grantType = new URLSearchParams(response.request().postData() ?? '').get('grant_type');
      answers.push(response.json().then((body: TokenAnswer['body']) => ({ grantType, status: response.status(), body })));
    });
    await page.goto(at(`/demo/?client_id=${demo.clientId}`));
    return { tokenRequests, tokenAnswers: () => Promise.all(answers) };
  }

  /** The user's steps on the authorization endpoint's pages, from the demo's "Sign in" to the consent's answer. */
  async function signInAndDecide(page: Page, account: Account, decision: 'Allow' | 'Deny'): Promise<void> {
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/oauth/authorize');
    await page.getByLabel('E-mail').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: decision }).click();
    await page.waitForURL((url) => url.pathname === '/demo/');
  }

  const message = (page: Page, text: string | RegExp) => page.locator('#message').filter({ hasText: text }).waitFor();

  it('signs in, shows and places orders, hides another user’s order, renews the session silently, and signs out by revoking', async () => {
    const alice = await register(testApp.app);
    const problems = await inFreshPage(browser, 'The demo storefront', async (page, context) => {
      // Fake timers from the first page on, so that the refresh timer can be fast-forwarded below.
      await context.clock.install();
      const { tokenAnswers } = await openDemo(page);
      await signInAndDecide(page, alice, 'Allow');
      await message(page, 'Signed in.');
      const [signedIn] = await tokenAnswers();
      expect(signedIn).toMatchObject({ grantType: 'authorization_code', status: 200, body: { expires_in: 900 } });
      // The code, state and iss are gone from the address bar; the client_id stays for a reload.
      expect(page.url()).toBe(at(`/demo/?client_id=${demo.clientId}`));
      // Tokens in memory only: nothing in either storage (the pending request was removed), no cookie holding one.
      // (A string: this file is compiled without the DOM's types.)
      expect(await page.evaluate('[localStorage.length, sessionStorage.length, document.cookie]')).toEqual([0, 0, '']);
      const cookieValues = (await context.cookies()).map((cookie) => cookie.value);
      expect(cookieValues.filter((value) => [signedIn.body.access_token, signedIn.body.refresh_token].includes(value))).toEqual([]);

      const product = page.locator('#products li').filter({ hasText: MUG.name });
      expect(await product.innerText()).toBe(`${MUG.name}, €12.00 Order one`);
      await page.locator('#orders li').filter({ hasText: 'No orders yet.' }).waitFor();

      await product.getByRole('button', { name: 'Order one' }).click();
      await message(page, /^Order [0-9a-f-]{36} placed\.$/);
      const orderId = (await page.locator('#message').innerText()).split(' ')[1];
      // Placed for Alice, as the service itself says.
      const hers = await testApp.app.inject({ url: `/api/v1/orders?userId=${alice.id}`, headers: root.headers });
      expect(hers.json<{ data: { id: string }[] }>().data.map((order) => order.id)).toEqual([orderId]);
      expect(await page.locator('#orders li').allInnerTexts()).toEqual([`${orderId}: pending, €12.00`]);

      // Bob's order exists (its owner reads it), yet for Alice's token it is not there (BOLA, OWASP API1).
      expect((await testApp.app.inject({ url: `/api/v1/orders/${bobsOrder.id}`, headers: bobsOrder.owner.headers })).statusCode).toBe(200);
      await page.getByLabel('Order id').fill(bobsOrder.id);
      await page.getByRole('button', { name: 'Look up' }).click();
      await page.locator('#lookup-result').filter({ hasText: 'Order not found' }).waitFor();

      // 60 s before the 900 s access token expires, the page refreshes it without a redirect.
      expect(await page.locator('#renewed').innerText()).toBe('not yet');
      await context.clock.fastForward('14:30');
      await page.locator('#renewed').filter({ hasText: /^at / }).waitFor();
      const refreshed = (await tokenAnswers()).at(-1)!;
      expect(refreshed).toMatchObject({ grantType: 'refresh_token', status: 200 });
      expect(refreshed.body.refresh_token).not.toBe(signedIn.body.refresh_token);

      // A later call goes out with the new access token, and works.
      await page.getByLabel('Order id').fill(orderId);
      const lookUp = page.waitForRequest((request) => request.url() === at(`/api/v1/orders/${orderId}`));
      await page.getByRole('button', { name: 'Look up' }).click();
      expect((await lookUp).headers().authorization).toBe(`Bearer ${refreshed.body.access_token}`);
      await page
        .locator('#lookup-result')
        .filter({ hasText: `${orderId}: pending, €12.00` })
        .waitFor();

      const revocation = page.waitForResponse((response) => response.url() === at('/api/v1/oauth/revoke'));
      await page.getByRole('button', { name: 'Sign out' }).click();
      const revoked = await revocation;
      expect(revoked.status()).toBe(200);
      expect(new URLSearchParams(revoked.request().postData() ?? '').get('token')).toBe(refreshed.body.refresh_token);
      await message(page, 'Signed out.');
      expect(await page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);

      // The refresh token the page held is dead at the token endpoint, and so is its access token (RFC 7009 §2.1).
      const reuse = await fetch(tokenEndpoint(), {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token!, client_id: demo.clientId }),
      });
      expect({ status: reuse.status, error: ((await reuse.json()) as { error: string }).error }).toEqual({ status: 400, error: 'invalid_grant' });
      expect((await fetch(at('/api/v1/orders'), { headers: bearer(refreshed.body.access_token!) })).status).toBe(401);
    });
    expect(problems).toEqual({
      cspViolations: [],
      // Chromium logs every 4xx fetch; this one is the lookup of Bob's order, and nothing else may appear.
      consoleErrors: ['Failed to load resource: the server responded with a status of 404 (Not Found)'],
      pageErrors: [],
    });
  });

  it('refuses an answer with a state it did not make, or naming another issuer, and asks the token endpoint nothing', async () => {
    let tokenRequests: Request[] = [];
    const problems = await inFreshPage(browser, 'The demo storefront', async (page) => {
      ({ tokenRequests } = await openDemo(page));
      // RFC 6749 §10.12 (CSRF): someone's code sent to this page, with a state it never made.
      await page.goto(at(`/demo/?code=planted&state=forged&iss=${encodeURIComponent(testApp.origin)}`));
      await message(page, 'This sign-in was not started here: sign in again.');
      // RFC 9207 (mix-up): the state of a sign-in this page started, in an answer that names another issuer.
      await page.goto(at(`/demo/?client_id=${demo.clientId}`));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((url) => url.pathname === '/oauth/authorize');
      const state = new URL(page.url()).searchParams.get('state')!;
      await page.goto(at(`/demo/?code=planted&state=${encodeURIComponent(state)}&iss=${encodeURIComponent('https://other.example')}`));
      await message(page, 'This answer did not come from the expected server: sign in again.');
    });
    expect(tokenRequests).toEqual([]);
    expect(problems).toEqual({ cspViolations: [], consoleErrors: [], pageErrors: [] });
  });

  it('says the user declined on Deny, and asks the token endpoint nothing', async () => {
    const carol = await register(testApp.app);
    let tokenRequests: Request[] = [];
    const problems = await inFreshPage(browser, 'The demo storefront', async (page) => {
      ({ tokenRequests } = await openDemo(page));
      await signInAndDecide(page, carol, 'Deny');
      await message(page, 'You declined: the storefront got no access to your orders.');
      expect(page.url()).toBe(at(`/demo/?client_id=${demo.clientId}`));
      expect(await page.locator('#signed-in').isHidden()).toBe(true);
      // Still able to start again.
      expect(await page.getByRole('button', { name: 'Sign in' }).isEnabled()).toBe(true);
      expect(await page.evaluate('sessionStorage.length')).toBe(0);
    });
    expect(tokenRequests).toEqual([]);
    expect(problems).toEqual({ cspViolations: [], consoleErrors: [], pageErrors: [] });
  });
});
