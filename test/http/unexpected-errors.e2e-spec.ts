import { serviceUnavailable } from '../../src/common/http/service-unavailable';
import { ProductsService } from '../../src/products/products.service';
import { startTestApp, TestApp } from '../support/test-app';

const PRODUCTS = '/api/v1/products';
/** What a driver error might carry: a table name, SQL, a stack. None of it may reach the client. */
const INTERNAL_MESSAGE = 'relation "supplier_costs" does not exist: SELECT cost FROM supplier_costs';

/**
 * docs/http-contract.md, Errors: a 5xx says nothing but its title and request id. The operator still needs the
 * error, so it goes to the log; a 503 given on purpose (a store down) is an answer, not a failure.
 */
describe('an unexpected error in a handler', () => {
  const logLines: string[] = [];
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ env: { LOG_LEVEL: 'error' }, logStream: { write: (line: string) => void logLines.push(line) } });
  });
  afterAll(() => testApp.close());
  afterEach(() => {
    jest.restoreAllMocks();
    logLines.length = 0;
  });

  const failed = () =>
    logLines
      .map((line) => JSON.parse(line) as { msg?: string; requestId?: string; err?: { message?: string; stack?: string } })
      .filter((entry) => entry.msg === 'request failed');

  it('answers a 500 problem that shows nothing of it, and logs it whole with the request id', async () => {
    jest.spyOn(testApp.app.get(ProductsService), 'listActive').mockRejectedValue(new Error(INTERNAL_MESSAGE));

    const response = await testApp.app.inject({ url: PRODUCTS });

    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    const requestId = response.headers['x-request-id'];
    expect(response.json()).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500, instance: PRODUCTS, requestId });
    expect(failed()).toEqual([
      expect.objectContaining({ requestId, err: expect.objectContaining({ message: INTERNAL_MESSAGE, stack: expect.stringContaining('Error') }) }),
    ]);
  });

  it('logs no failure for a 503 it gives on purpose', async () => {
    jest.spyOn(testApp.app.get(ProductsService), 'listActive').mockRejectedValue(serviceUnavailable());

    const response = await testApp.app.inject({ url: PRODUCTS });

    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBeDefined();
    expect(failed()).toEqual([]);
  });
});
