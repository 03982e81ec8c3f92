import { Injectable, Logger } from '@nestjs/common';
import { NewProduct, ProductsRepository } from './products.repository';

const DEMO_PRODUCTS: NewProduct[] = [
  {
    sku: 'MUG-001',
    name: 'Enamel mug',
    description: 'A camp mug that survives the dishwasher.',
    priceCents: 1200,
    currency: 'EUR',
    stock: 100,
    costCents: 400,
  },
  { sku: 'TEE-002', name: 'Organic cotton tee', description: 'Plain, heavy, no logo.', priceCents: 2500, currency: 'EUR', stock: 50, costCents: 900 },
  { sku: 'BAG-003', name: 'Canvas tote bag', description: 'Carries a week of groceries.', priceCents: 1800, currency: 'EUR', stock: 75, costCents: 500 },
  { sku: 'PEN-004', name: 'Brass pen', description: 'Refillable, lasts a lifetime.', priceCents: 4500, currency: 'EUR', stock: 20, costCents: 1500 },
  { sku: 'NB-005', name: 'Dot-grid notebook', description: 'A5, 192 pages.', priceCents: 1500, currency: 'EUR', stock: 0, costCents: 450 },
];

/** Seeds demo data into an empty embedded database, so `npm start` has something to show. */
@Injectable()
export class DemoProductsSeeder {
  private readonly logger = new Logger('DemoProductsSeeder');

  constructor(private readonly products: ProductsRepository) {}

  async seedIfEmpty(): Promise<void> {
    if ((await this.products.count()) > 0) return;
    for (const product of DEMO_PRODUCTS) await this.products.insert(product);
    this.logger.log(`Seeded ${DEMO_PRODUCTS.length} demo products`);
  }
}
