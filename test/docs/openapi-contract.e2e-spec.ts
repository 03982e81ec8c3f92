import type { LightMyRequestResponse } from 'fastify';
import { expectDocumented } from '../support/openapi-contract';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The hook in startTestApp checks every answer the HTTP suites get against openapi.json. A check
 * that cannot fail proves nothing: here a real answer passes, and each way of departing from the
 * document (status, field, header, content type, route) is refused.
 */
describe('the openapi.json response check of the HTTP suites', () => {
  let testApp: TestApp;
  let products: LightMyRequestResponse;

  beforeAll(async () => {
    testApp = await startTestApp();
    // Checked by the hook on its way here: it would have thrown if it did not match.
    products = await testApp.app.inject({ method: 'GET', url: '/api/v1/products' });
  });
  afterAll(() => testApp.close());

  const spoiled = (changes: Partial<Pick<LightMyRequestResponse, 'statusCode' | 'headers' | 'body'>>) =>
    ({ ...products, ...changes }) as LightMyRequestResponse;

  it('passes a real answer', () => {
    expect(products.statusCode).toBe(200);
    expect(() => expectDocumented('GET', '/api/v1/products?limit=20', products)).not.toThrow();
  });

  it('refuses a status the operation does not document', () => {
    expect(() => expectDocumented('GET', '/api/v1/products', spoiled({ statusCode: 418 }))).toThrow('a status the document does not list');
  });

  it('refuses a field the schema does not have (no silent extra data)', () => {
    const body = JSON.parse(products.body) as { data: object[] };
    const withExtra = { ...body, data: [{ ...body.data[0], stock: 7 }] };
    expect(() => expectDocumented('GET', '/api/v1/products', spoiled({ body: JSON.stringify(withExtra) }))).toThrow('does not match the document');
  });

  it('refuses a body without a required field, or of another content type', () => {
    expect(() => expectDocumented('GET', '/api/v1/products', spoiled({ body: '{"data":[]}' }))).toThrow('does not match the document');
    expect(() => expectDocumented('GET', '/api/v1/products', spoiled({ headers: { ...products.headers, 'content-type': 'text/html' } }))).toThrow(
      'Content-Type',
    );
  });

  it('refuses an answer without a header the document requires, or with a malformed one', () => {
    const { ['x-request-id']: _dropped, ...headers } = products.headers;
    expect(() => expectDocumented('GET', '/api/v1/products', spoiled({ headers }))).toThrow('X-Request-Id');
    expect(() => expectDocumented('GET', '/api/v1/products', spoiled({ headers: { ...products.headers, ratelimit: 'lots' } }))).toThrow('RateLimit');
  });

  it('refuses a success from a route the document does not have', () => {
    expect(() => expectDocumented('GET', '/api/v1/products/x/secret-admin-export', products)).toThrow('no such operation');
  });
});
