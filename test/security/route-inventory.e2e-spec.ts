import { IS_PUBLIC } from '../../src/common/http/public-route';
import { withApiKey } from '../support/api-keys';
import { customer } from '../support/principals';
import { REQUIRED_ROLE } from '../../src/security/access.decorators';
import { paramOf, RESOURCE_POLICY, RoutePolicy } from '../../src/security/policy';
import { listRoutes, RouteEntry } from '../support/route-inventory';
import { startTestApp, TestApp } from '../support/test-app';

const SWAGGER_RESPONSES = 'swagger/apiResponse';
const SWAGGER_EXTRA_MODELS = 'swagger/apiExtraModels';

const PAGE_INFO = '#/components/schemas/PageInfo';
const SWAGGER_EXCLUDE_CONTROLLER = 'swagger/apiExcludeController';

/**
 * Routes that are pages, not API operations, with the reason and the status each answers a request that brings
 * nothing; each is left out of the document (@ApiExcludeController), so it has no response class to declare. The
 * docs UI is not here: SwaggerModule mounts it, not a controller, so the walk does not see it.
 */
const PAGES: Record<string, number> = {
  // The development mailbox: an HTML page of the mails kept without SMTP_URL, never served in production.
  'GET /dev/mail': 200,
  // The OAuth authorization endpoint and its two forms (docs/http-contract.md, Delegated authorization): pages for
  // a browser; with no request to answer, an error page, never a redirect.
  'GET /oauth/authorize': 400,
  'POST /oauth/authorize/login': 400,
  'POST /oauth/authorize/consent': 400,
};

/** Operations whose 200 has no body, by their standard: nothing to declare but the status. */
const EMPTY_200: Record<string, string> = {
  'POST /api/v1/oauth/revoke': 'RFC 7009 §2.2: "the authorization server responds with HTTP status code 200"; the body is not used',
};

/** The account routes (docs/http-contract.md, Accounts): for someone signed out, public; about the caller's own account, a user access token. */
const ACCOUNT_ROUTES = {
  public: [
    'POST /api/v1/auth/register',
    'POST /api/v1/auth/email-verification',
    'POST /api/v1/auth/email-verification/resend',
    'POST /api/v1/auth/password-reset',
    'POST /api/v1/auth/password-reset/confirm',
    'POST /api/v1/auth/email-change/confirm',
  ],
  userToken: [
    'POST /api/v1/users/me/email',
    'GET /api/v1/auth/sessions',
    'DELETE /api/v1/auth/sessions/:id',
    'POST /api/v1/auth/sessions/revoke-all',
    'GET /api/v1/users/me/authorizations',
    'DELETE /api/v1/users/me/authorizations/:clientId',
  ],
};

/** A well-formed value for each path parameter of those routes, so that a refusal is about the credential, not the shape. */
const PARAMETER_VALUES: Record<string, string> = { id: '00000000-0000-4000-8000-000000000000', clientId: `app.${'A'.repeat(22)}` };

interface DeclaredResponse {
  type?: unknown;
  schema?: unknown;
}

/**
 * The security checklist, executable (docs/design.md, pattern 7): a new route cannot forget
 * authentication, object-level authorization or a response class without failing this suite.
 */
describe('route inventory', () => {
  let testApp: TestApp;
  let routes: RouteEntry[];

  beforeAll(async () => {
    testApp = await startTestApp();
    routes = listRoutes(testApp.app);
  });
  afterAll(() => testApp.close());

  const isPublic = (route: RouteEntry) => Boolean(Reflect.getMetadata(IS_PUBLIC, route.handler) ?? Reflect.getMetadata(IS_PUBLIC, route.controller));
  const name = (route: RouteEntry) => `${route.method} ${route.path}`;

  it('finds the routes (a walk that finds nothing proves nothing)', () => {
    expect(routes.map(name)).toEqual(expect.arrayContaining(['GET /api/v1/products/:id', 'DELETE /api/v1/users/:id/api-keys/:keyId', 'GET /health/live']));
    expect(routes.map(name)).toEqual(expect.arrayContaining([...ACCOUNT_ROUTES.public, ...ACCOUNT_ROUTES.userToken, ...Object.keys(PAGES)]));
    expect(routes.length).toBeGreaterThanOrEqual(6);
  });

  it('makes public exactly the account routes for someone signed out, and the pages', () => {
    const byName = new Map(routes.map((route) => [name(route), route]));
    const publicOf = (names: string[]) => names.map((route) => ({ route, public: isPublic(byName.get(route)!) }));
    expect(publicOf([...ACCOUNT_ROUTES.public, ...Object.keys(PAGES)])).toEqual(
      [...ACCOUNT_ROUTES.public, ...Object.keys(PAGES)].map((route) => ({ route, public: true })),
    );
    expect(publicOf(ACCOUNT_ROUTES.userToken)).toEqual(ACCOUNT_ROUTES.userToken.map((route) => ({ route, public: false })));
  });

  it('refuses an API key with 403 on the account routes that need a user access token', async () => {
    const withKey = await withApiKey(testApp.app, await customer(testApp.app));
    const answers = [];
    for (const route of ACCOUNT_ROUTES.userToken) {
      const [method, path] = route.split(' ');
      const body = method === 'POST' ? (path.endsWith('/email') ? { newEmail: 'new@example.test', currentPassword: withKey.password } : {}) : undefined;
      const response = await testApp.app.inject({
        method: method as 'GET',
        url: path.replace(/:(\w+)/g, (_, parameter: string) => PARAMETER_VALUES[parameter]),
        headers: withKey.headers,
        payload: body,
      });
      answers.push({ route, status: response.statusCode });
    }
    expect(answers).toEqual(ACCOUNT_ROUTES.userToken.map((route) => ({ route, status: 403 })));
  });

  it('every route that is not @Public() refuses a request without credentials with 401', async () => {
    const unprotected: string[] = [];
    for (const route of routes.filter((candidate) => !isPublic(candidate))) {
      const url = route.path.replace(/:[a-zA-Z]+/g, '00000000-0000-4000-8000-000000000000');
      const response = await testApp.app.inject({
        method: route.method as 'GET',
        url,
        headers: { 'content-type': 'application/json' },
        payload: route.method === 'GET' ? undefined : '{}',
      });
      if (response.statusCode !== 401) unprotected.push(`${name(route)} → ${response.statusCode}`);
    }
    expect(unprotected).toEqual([]);
  });

  it('every route with an :id declares a @Policy() or an admin-only role', () => {
    const unguarded = routes
      .filter((route) => route.path.includes(':') && !isPublic(route))
      .filter((route) => !Reflect.getMetadata(RESOURCE_POLICY, route.handler))
      .filter((route) => (Reflect.getMetadata(REQUIRED_ROLE, route.handler) ?? Reflect.getMetadata(REQUIRED_ROLE, route.controller)) !== 'admin')
      .map(name);
    expect(unguarded).toEqual([]);
  });

  it('every route with a @Policy() has the path parameter its policy reads, so the guard checks and loads what the route names', () => {
    const mismatched = routes
      .map((route) => ({ route, declared: Reflect.getMetadata(RESOURCE_POLICY, route.handler) as RoutePolicy | undefined }))
      .filter(({ route, declared }) => declared && !route.path.split('/').includes(`:${paramOf(declared.policy).name}`))
      .map(({ route }) => name(route));
    expect(mismatched).toEqual([]);
  });

  it('every route declares its response (a class, a schema made of classes, or an explicit no-content)', () => {
    // A schema made of classes: a list envelope or a choice of views (ApiPageResponse, oneOf). It counts
    // when it refers to at least one class and every class it refers to is registered on the route or
    // its controller (@ApiExtraModels); the envelope's own PageInfo is the document's.
    const undeclared = routes.filter((route) => {
      if (name(route) in PAGES || name(route) in EMPTY_200) return false;
      const responses = Reflect.getMetadata(SWAGGER_RESPONSES, route.handler) as Record<string, DeclaredResponse> | undefined;
      if (!responses) return true;
      const classes = [route.handler, route.controller]
        .flatMap((target) => (Reflect.getMetadata(SWAGGER_EXTRA_MODELS, target) ?? []) as Array<{ name: string }>)
        .map((model) => `#/components/schemas/${model.name}`);
      const madeOfClasses = (schema: unknown) => {
        const refs = [...JSON.stringify(schema ?? {}).matchAll(/"\$ref":"([^"]+)"/g)].map((match) => match[1]).filter((ref) => ref !== PAGE_INFO);
        return refs.length > 0 && refs.every((ref) => classes.includes(ref));
      };
      return !Object.entries(responses).some(
        ([status, response]) => status === '204' || typeof response.type === 'function' || Array.isArray(response.type) || madeOfClasses(response.schema),
      );
    });
    expect(undeclared.map(name)).toEqual([]);
  });

  it('serves each page, left out of the API document, as HTML', async () => {
    for (const [page, status] of Object.entries(PAGES)) {
      const route = routes.find((candidate) => name(candidate) === page)!;
      expect({ page, excluded: Reflect.getMetadata(SWAGGER_EXCLUDE_CONTROLLER, route.controller) }).toEqual({ page, excluded: [true] });
      const response = await testApp.app.inject({ method: route.method as 'GET', url: route.path });
      expect({ page, status: response.statusCode, type: response.headers['content-type'] }).toEqual({ page, status, type: 'text/html; charset=utf-8' });
    }
  });
});
