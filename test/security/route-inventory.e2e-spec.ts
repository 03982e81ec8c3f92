import { IS_PUBLIC } from '../../src/common/http/public-route';
import { REQUIRED_ROLE } from '../../src/security/access.decorators';
import { RESOURCE_POLICY } from '../../src/security/policy';
import { listRoutes, RouteEntry } from '../support/route-inventory';
import { startTestApp, TestApp } from '../support/test-app';

const SWAGGER_RESPONSES = 'swagger/apiResponse';
const SWAGGER_EXTRA_MODELS = 'swagger/apiExtraModels';

const PAGE_INFO = '#/components/schemas/PageInfo';

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
    expect(routes.length).toBeGreaterThanOrEqual(6);
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

  it('every route declares its response (a class, a schema made of classes, or an explicit no-content)', () => {
    // A schema made of classes: a list envelope or a choice of views (ApiPageResponse, oneOf). It counts
    // when it refers to at least one class and every class it refers to is registered on the route or
    // its controller (@ApiExtraModels); the envelope's own PageInfo is the document's.
    const undeclared = routes.filter((route) => {
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
});
