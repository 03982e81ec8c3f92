import { DataSource } from 'typeorm';
import { Product } from '../../src/products/product.entity';
import { startTestApp, TestApp } from '../support/test-app';

describe('Products (public reads)', () => {
  let testApp: TestApp;
  let active: Product;
  let inactive: Product;

  beforeAll(async () => {
    testApp = await startTestApp();
    const products = testApp.app.get(DataSource).getRepository(Product);
    [active, inactive] = await products.save([
      products.create({ sku: 'A-1', name: 'Blue 100% cotton', priceCents: 1000, currency: 'EUR', stock: 3, costCents: 400 }),
      products.create({ sku: 'B-1', name: 'Retired thing', priceCents: 500, currency: 'EUR', stock: 9, costCents: 100, active: false }),
    ]);
    await products.save(products.create({ sku: 'C-1', name: 'Sold out', priceCents: 700, currency: 'EUR', stock: 0 }));
  });
  afterAll(() => testApp.close());

  const get = (url: string) => testApp.app.inject({ method: 'GET', url });

  it('lists active products only, with the page envelope and only public fields', async () => {
    const response = await get('/api/v1/products');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.page).toEqual({ limit: 20, offset: 0, total: 2 });
    expect(body.data.map((p: Product) => p.sku).sort()).toEqual(['A-1', 'C-1']);
    for (const product of body.data) {
      expect(Object.keys(product).sort()).toEqual(['currency', 'description', 'id', 'inStock', 'name', 'priceCents', 'sku']);
    }
    expect(body.data.find((p: Product) => p.sku === 'C-1').inStock).toBe(false);
  });

  it('paginates and searches, treating % and _ literally', async () => {
    expect((await get('/api/v1/products?limit=1&offset=1')).json().data).toHaveLength(1);
    expect((await get('/api/v1/products?q=100%25')).json().data.map((p: Product) => p.sku)).toEqual(['A-1']);
    expect((await get('/api/v1/products?q=_')).json().data).toEqual([]);
  });

  it.each(['limit=0', 'limit=101', 'offset=-1', 'offset=10001', 'limit=abc', 'nope=1', 'q='])('refuses ?%s with 400', async (query) => {
    const response = await get(`/api/v1/products?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  });

  it('gets one active product, never its stock or cost', async () => {
    const response = await get(`/api/v1/products/${active.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      id: active.id,
      sku: 'A-1',
      name: 'Blue 100% cotton',
      description: '',
      priceCents: 1000,
      currency: 'EUR',
      inStock: true,
    });
  });

  it('answers 404 for an inactive or unknown product and 400 for a malformed id', async () => {
    expect((await get(`/api/v1/products/${inactive.id}`)).statusCode).toBe(404);
    expect((await get('/api/v1/products/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await get('/api/v1/products/not-a-uuid')).statusCode).toBe(400);
  });
});
