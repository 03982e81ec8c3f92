import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRODUCTION_PUBLIC_URL } from '../support/forge-token';
import { startTestApp, TestApp } from '../support/test-app';

/** The demo's own policy (src/security/hardening/security-headers.ts): its own files, calls to this origin, nothing inline. */
const DEMO_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
/** docs/http-contract.md, Response headers: the policy of every route that is not a page. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";
const DEMO_FOLDER = join(__dirname, '..', '..', 'demo');

/**
 * The demo storefront (demo/, served by src/demo-storefront.ts) over HTTP: outside production its page and files,
 * each with its content type (a browser runs a script only with a JavaScript type, nosniff) and the page's CSP; in
 * production nothing at all. What the page does in a browser is test/browser/demo-storefront.browser-spec.ts.
 */
describe('The demo storefront at /demo/', () => {
  describe('outside production', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(() => t.close());

    it('serves the page as HTML with its own CSP, loading only its own files, nothing inline', async () => {
      const page = await t.app.inject({ url: '/demo/' });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers).toMatchObject({ 'content-security-policy': DEMO_CSP, 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff' });
      expect(page.body).toBe(readFileSync(join(DEMO_FOLDER, 'index.html'), 'utf8'));
      expect([...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]).sort()).toEqual([
        '/demo/app.js',
        '/demo/favicon.svg',
        '/demo/style.css',
      ]);
      // No inline script, style block, style attribute or event handler attribute: the CSP would block each.
      expect(page.body).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>|<style|\sstyle=|\son\w+=/);
    });

    it.each([
      ['/demo/app.js', 'app.js', 'text/javascript; charset=utf-8'],
      ['/demo/style.css', 'style.css', 'text/css; charset=utf-8'],
      ['/demo/favicon.svg', 'favicon.svg', 'image/svg+xml'],
    ])('serves %s, the file demo/%s, as %s under the same CSP', async (url, file, type) => {
      const response = await t.app.inject({ url });
      expect(response.statusCode).toBe(200);
      expect(response.headers).toMatchObject({ 'content-type': type, 'content-security-policy': DEMO_CSP, 'x-content-type-options': 'nosniff' });
      expect(response.body).toBe(readFileSync(join(DEMO_FOLDER, file), 'utf8'));
    });

    it('sends /demo to /demo/, the query kept (the page reads ?client_id= there)', async () => {
      const response = await t.app.inject({ url: '/demo?client_id=app.x' });
      expect(response.statusCode).toBe(301);
      expect(response.headers.location).toBe('/demo/?client_id=app.x');
    });

    it('keeps the strict policy on a path under /demo that it does not serve (the matched route decides, not the URL)', async () => {
      const response = await t.app.inject({ url: '/demo/other.js' });
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-security-policy']).toBe(API_CSP);
    });
  });

  describe('in production', () => {
    let production: TestApp;
    beforeAll(async () => {
      production = await startTestApp({ env: { NODE_ENV: 'production', PUBLIC_URL: PRODUCTION_PUBLIC_URL, TRUSTED_PROXIES: '127.0.0.1/32' } });
    });
    afterAll(() => production.close());

    it.each(['/demo/', '/demo/app.js', '/demo/style.css', '/demo/favicon.svg', '/demo'])('%s is an ordinary 404 with the strict policy', async (url) => {
      // Over HTTPS as the trusted proxy says, so that the 404 is the router's and not the HTTPS rule's 403.
      const response = await production.app.inject({ url, headers: { 'x-forwarded-proto': 'https' } });
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.headers['content-security-policy']).toBe(API_CSP);
    });
  });
});
