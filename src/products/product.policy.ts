import { ResourcePolicy } from '../security/policy';
import type { Product } from './product.entity';
import { ProductsService } from './products.service';

/**
 * Products have no owner: whoever holds `products:write` (admins, and clients granted it) may edit
 * any of them, inactive ones included. The policy still loads the product once, for the handler.
 */
export const ProductPolicy: Record<'edit', ResourcePolicy<Product>> = {
  edit: {
    notFound: 'Product not found',
    load: (modules, _principal, id) => modules.get(ProductsService, { strict: false }).findForEditing(id),
  },
};
