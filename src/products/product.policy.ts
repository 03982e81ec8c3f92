import { Injectable } from '@nestjs/common';
import type { Principal } from '../security/principal';
import type { Product } from './product.entity';
import { ProductsRepository } from './products.repository';

/**
 * Products have no owner: whoever holds `products:write` (admins, and clients granted it) may edit
 * any of them, inactive ones included. The policy still loads the product once, for the handler.
 */
@Injectable()
export class ProductPolicy {
  static readonly notFound = 'Product not found';

  constructor(private readonly products: ProductsRepository) {}

  edit(_principal: Principal, id: string): Promise<Product | null> {
    return this.products.findById(id);
  }
}
