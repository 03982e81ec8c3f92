import { Reflector } from '@nestjs/core';
import { OpenAPIObject } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApiDocument, DocumentedOperation, documentedOperations, serializeOpenApiDocument } from '../../src/common/openapi/openapi';
import { IS_PUBLIC } from '../../src/common/http/public-route';
import { RouteEntry, isPage, listRoutes } from '../support/route-inventory';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * OWASP API9:2023, Improper Inventory Management: an API cannot be secured, or retired, route by
 * route if nobody knows which routes it serves. The committed openapi.json is that inventory, for
 * clients, reviewers and scanners: it must be exactly what the code generates, list every route the
 * app serves and none it does not, and say which routes need a credential (API8).
 *
 * Nothing is left out: health and JWKS are public API (docs/http-contract.md) and documented too. The docs pages
 * themselves (`/docs`, `/docs/openapi.json`) are mounted by SwaggerModule, not by a controller, so
 * `listRoutes` does not see them and the document does not list itself. The pages controllers serve, the
 * development mailbox (/dev/mail, only without SMTP_URL and never in production) and the OAuth authorization
 * endpoint with its two forms (HTML and redirects for a browser, RFC 6749 §3.1), are not operations of the API:
 * they are left out of the document by name (PAGES) and by their controllers (@ApiExcludeController), and both
 * must agree.
 */
const OPENAPI_JSON = join(__dirname, '..', '..', 'openapi.json');

// Fastify writes `:id` where OpenAPI writes `{id}`.
const routeName = (route: RouteEntry) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`;
const operationName = ({ method, path }: DocumentedOperation) => `${method.toUpperCase()} ${path}`;

/** The public routes that authenticate their caller: the OAuth client endpoints, by HTTP Basic or in the body (RFC 6749 §2.3.1). */
const PUBLIC_SECURITY: Record<string, unknown> = {
  'POST /api/v1/oauth/token': [{ clientSecretBasic: [] }, {}],
  'POST /api/v1/oauth/revoke': [{ clientSecretBasic: [] }, {}],
  // RFC 7662 §2.1: introspection takes a confidential client's secret only.
  'POST /api/v1/oauth/introspect': [{ clientSecretBasic: [] }],
};

/** Routes that are pages, not API operations (see above): served, and not in the document. */
const PAGES = ['GET /dev/mail', 'GET /oauth/authorize', 'POST /oauth/authorize/login', 'POST /oauth/authorize/consent'];

describe('OpenAPI document (openapi.json)', () => {
  let testApp: TestApp;
  let routes: RouteEntry[];
  let committedText: string;
  let committed: OpenAPIObject;

  beforeAll(async () => {
    testApp = await startTestApp();
    routes = listRoutes(testApp.app);
    committedText = readFileSync(OPENAPI_JSON, 'utf8');
    committed = JSON.parse(committedText) as OpenAPIObject;
  });
  afterAll(() => testApp.close());

  const documentedNames = () => documentedOperations(committed).map(operationName);

  it('is exactly what `npm run openapi:generate` writes from the current code', () => {
    const generatedText = serializeOpenApiDocument(buildOpenApiDocument(testApp.app));
    if (generatedText === committedText) return;
    const changed = differingParts(JSON.parse(generatedText) as OpenAPIObject, committed);
    throw new Error(
      'openapi.json does not match the routes: run `npm run openapi:generate` and commit the result.\n' +
        `Differing: ${changed.length > 0 ? changed.join(', ') : 'only the order or formatting'}`,
    );
  });

  it('finds routes and operations (a comparison of two empty lists proves nothing)', () => {
    expect(routes.map(routeName)).toEqual(expect.arrayContaining(['GET /api/v1/orders/{id}', 'GET /health/live']));
    expect(documentedNames()).toEqual(expect.arrayContaining(['GET /api/v1/orders/{id}', 'GET /health/live']));
  });

  it('documents every route the app registers (no undocumented route)', () => {
    const documented = new Set(documentedNames());
    expect(routes.map(routeName).filter((name) => !documented.has(name) && !PAGES.includes(name))).toEqual([]);
  });

  it('leaves out exactly the pages, which the app serves and marks as left out', () => {
    expect(routes.filter(isPage).map(routeName).sort()).toEqual([...PAGES].sort());
    expect(documentedNames().filter((name) => PAGES.includes(name))).toEqual([]);
  });

  it('documents no route the app does not serve (no phantom route)', () => {
    const served = new Set(routes.map(routeName));
    expect(documentedNames().filter((name) => !served.has(name))).toEqual([]);
  });

  it('asks for no bearer token or API key on @Public() routes, and for one of them on every other', () => {
    const reflector = new Reflector();
    const security = new Map(documentedOperations(committed).map((documented) => [operationName(documented), documented.operation.security]));
    // Routes missing from the document are the previous test's failure, not this one's.
    const documented = routes.filter((route) => security.has(routeName(route)));
    const declared = documented.map((route) => ({ route: routeName(route), security: security.get(routeName(route)) }));
    const expected = documented.map((route) => ({
      route: routeName(route),
      security: reflector.getAllAndOverride<boolean>(IS_PUBLIC, [route.handler, route.controller])
        ? (PUBLIC_SECURITY[routeName(route)] ?? [])
        : [{ bearer: [] }, { apiKey: [] }],
    }));
    expect(declared).toEqual(expected);
    expect(committed.components?.securitySchemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer' },
      apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      clientSecretBasic: { type: 'http', scheme: 'basic' },
    });
  });
});

/** The names of the parts (operations, component entries, top-level fields) in which two documents differ. */
function differingParts(generated: OpenAPIObject, committed: OpenAPIObject): string[] {
  const a = parts(generated);
  const b = parts(committed);
  return [...new Set([...a.keys(), ...b.keys()])]
    .filter((name) => a.get(name) !== b.get(name))
    .map((name) => (!b.has(name) ? `${name} (not in openapi.json)` : !a.has(name) ? `${name} (no longer in the code)` : name));
}

/** A document as named parts, each serialized, so a mismatch can name an operation rather than print a diff. */
function parts(document: OpenAPIObject): Map<string, string> {
  const named = new Map<string, string>();
  for (const documented of documentedOperations(document)) named.set(operationName(documented), JSON.stringify(documented.operation));
  for (const [kind, entries] of Object.entries(document.components ?? {})) {
    for (const [name, value] of Object.entries(entries as object)) named.set(`components.${kind}.${name}`, JSON.stringify(value));
  }
  for (const [field, value] of Object.entries(document)) {
    if (field !== 'paths' && field !== 'components') named.set(field, JSON.stringify(value));
  }
  return named;
}
