import { DataSource } from 'typeorm';
import { ListProductsQuery } from '../../src/products/dto/list-products.query';
import { Product } from '../../src/products/product.entity';
import { ProductsService } from '../../src/products/products.service';
import { insertProduct } from '../support/fixtures';
import { startTestServices, TestServices } from '../support/test-services';

/**
 * The public catalogue's pages through ProductsService, on a real database, without HTTP: the
 * envelope and the query bounds over HTTP are test/http/products.e2e-spec.ts's.
 */
describe('Product listing', () => {
  let services: TestServices;
  let products: ProductsService;
  let listed: Product[];

  const query = (fields: Partial<ListProductsQuery>): ListProductsQuery => Object.assign(new ListProductsQuery(), fields);
  const skus = (rows: Product[]) => rows.map((product) => product.sku);

  beforeAll(async () => {
    services = await startTestServices();
    const dataSource = services.app.get(DataSource);
    products = services.app.get(ProductsService);
    // Two of the same name (the id orders them), names out of insertion order, one inactive among them.
    listed = [];
    for (const name of ['Mug', 'Apron', 'Tote', 'Mug', 'Kettle', 'Jar', 'Bowl']) listed.push(await insertProduct(dataSource, { name }));
    await insertProduct(dataSource, { name: 'Bucket', active: false });
    // ASCII names, and uuids compared as Postgres does (byte by byte, as their lower-case hex).
    const key = (product: Product) => `${product.name} ${product.id}`;
    listed.sort((a, b) => (key(a) < key(b) ? -1 : 1));
  });
  afterAll(() => services.close());

  it('pages through every active product once, by name then id, with the total on every page', async () => {
    const seen: Product[] = [];
    for (let offset = 0; offset < listed.length; offset += 3) {
      const page = await products.listActive(query({ limit: 3, offset }));
      expect(page.total).toBe(listed.length);
      expect(page.rows.length).toBeLessThanOrEqual(3);
      seen.push(...page.rows);
    }
    expect(skus(seen)).toEqual(skus(listed));
  });

  it('answers an offset past the end with no rows and the same total', async () => {
    expect(await products.listActive(query({ limit: 20, offset: listed.length }))).toEqual({ rows: [], total: listed.length });
  });

  it('searches names case-insensitively, and counts only what matches', async () => {
    const page = await products.listActive(query({ q: 'mUG', limit: 1 }));
    expect(page.total).toBe(2);
    expect(skus(page.rows)).toEqual(skus(listed.filter((product) => product.name === 'Mug')).slice(0, 1));
  });

  it('takes %, _ and \\ in a search literally, not as LIKE patterns', async () => {
    const dataSource = services.app.get(DataSource);
    const literal = await Promise.all(['100% wool', 'snake_case socks', 'back\\slash'].map((name) => insertProduct(dataSource, { name })));
    for (const [q, expected] of [
      ['%', [literal[0]]],
      ['_', [literal[1]]],
      ['\\', [literal[2]]],
      ['0% w', [literal[0]]],
      ['e_c', [literal[1]]],
    ] as const) {
      const page = await products.listActive(query({ q }));
      expect({ q, skus: skus(page.rows) }).toEqual({ q, skus: skus([...expected]) });
    }
  });
});
