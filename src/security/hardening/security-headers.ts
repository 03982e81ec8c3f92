import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppConfig } from '../../config/app-config';
import { credentialCount } from '../credentials';

/**
 * An API answers JSON, never a page: nothing may load, nothing may frame it (CSP3; OWASP REST
 * Security Cheat Sheet). Written as docs/http-contract.md spells it: helmet would join the directives with ";"
 * and no space, which browsers read the same, but clients compare against the contract's string.
 */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * The OpenAPI UI (outside production only). Its scripts, stylesheet and favicons are files under /docs; it writes
 * `<style>` blocks inline; its CSS draws icons from data: URIs; "Try it out" calls this same origin. Scripts stay
 * 'self' only: no inline script.
 */
const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The demo storefront (outside production only, src/demo-storefront.ts): its own script, stylesheet and icon, calls to
 * this origin, nothing inline. An XSS that slipped in could neither run inline code nor send a token elsewhere.
 */
const DEMO_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The HTML pages, by route prefix, each with the policy it needs; every other route gets API_CSP. */
const PAGE_CSPS: readonly { prefix: string; csp: string }[] = [
  { prefix: '/docs', csp: DOCS_CSP },
  { prefix: '/demo', csp: DEMO_CSP },
];

/**
 * The pages of the OAuth authorization endpoint (sign-in, consent): no script, no style, nothing loaded, no
 * framing, so nobody can overlay the Allow button (clickjacking, RFC 6749 §10.13). A form may post to this origin
 * only, and, since browsers hold a form's submission to `form-action` through its redirects too, to the origin of
 * the client's redirect URI, which the answer to the form is redirected to.
 */
export function authorizationPageCsp(redirectUri: string): string {
  return ["default-src 'none'", `form-action 'self' ${new URL(redirectUri).origin}`, "base-uri 'none'", "frame-ancestors 'none'"].join('; ');
}

/** No powerful browser feature is ever needed by a response of this API (W3C Permissions Policy). */
const PERMISSIONS_POLICY = 'geolocation=(), camera=(), microphone=()';

/** HSTS for one year, subdomains included (RFC 6797); sent in production only, where TLS is certain. */
const HSTS = { maxAge: 31_536_000, includeSubDomains: true };

/**
 * The headers helmet sets for these options, read once at boot by running its middleware against a
 * stand-in response. They depend on the options alone (no CSP nonces here), so running helmet's
 * dozen middlewares again on every response, as its Fastify plugin does, would only redo this.
 */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  return headers;
}

/** The security headers of docs/http-contract.md (Response headers). */
export function registerSecurityHeaders(fastify: FastifyInstance, config: AppConfig): void {
  const apiHeaders = {
    ...helmetHeaders({
      contentSecurityPolicy: false, // set below, per route
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      strictTransportSecurity: config.isProduction ? HSTS : false,
      // helmet's other defaults stay (nosniff, CORP same-origin, ...): cheap and harmless.
    }),
    'content-security-policy': API_CSP,
    'permissions-policy': PERMISSIONS_POLICY,
  };
  // Built once: a page's headers are the API's with its own policy.
  const pages = PAGE_CSPS.map(({ prefix, csp }) => ({ prefix, headers: { ...apiHeaders, 'content-security-policy': csp } }));
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(pageOf(request, pages)?.headers ?? apiHeaders);
    done();
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (mayHoldPrivateData(request, reply.statusCode)) void reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}

/**
 * Responses no browser or shared cache may keep (RFC 9111 §5.2.2.5; OWASP REST Security Cheat
 * Sheet): every response to a request that carried a credential, so every authenticated response
 * and also a 401 about that credential, and every error: a cached 401, 403, 404 or 429 of an
 * authenticated route could be replayed to someone else. Successful public responses (product
 * list, JWKS) stay cacheable.
 */
function mayHoldPrivateData(request: FastifyRequest, status: number): boolean {
  return credentialCount(request) > 0 || status >= 400;
}

// The matched route, not the URL: when a page is not mounted (production), its path is an ordinary 404 and keeps
// the strict policy.
function pageOf<Page extends { prefix: string }>(request: FastifyRequest, pages: readonly Page[]): Page | undefined {
  const route = request.routeOptions.url;
  return route === undefined ? undefined : pages.find(({ prefix }) => route === prefix || route.startsWith(`${prefix}/`));
}
