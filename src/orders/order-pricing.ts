import { ProblemException } from '../common/http/problem.exception';
import type { LockedProduct } from '../products/products.repository';
import { OrderItemInput } from './dto/place-order.dto';

export interface PricedLine {
  lineNo: number;
  productId: string;
  sku: string;
  name: string;
  unitPriceCents: number;
  quantity: number;
  lineTotalCents: number;
}

/**
 * Prices an order from the database's products, never from the request, and checks every rule of
 * docs/http-contract.md in the order a client can act on: unknown or inactive product or mixed currencies (422)
 * before stock (409).
 */
export function priceOrder(items: OrderItemInput[], products: LockedProduct[]): { lines: PricedLine[]; currency: string; totalCents: number } {
  const byId = new Map(products.map((product) => [product.id, product]));
  const lines = items.map((item, index) => {
    const product = byId.get(item.productId.toLowerCase());
    if (!product || !product.active) {
      throw new ProblemException(422, `items.${index}.productId is not an available product`);
    }
    return { item, product, lineNo: index + 1 };
  });
  const currencies = new Set(lines.map(({ product }) => product.currency));
  if (currencies.size > 1) throw new ProblemException(422, 'All products of one order must share one currency');
  for (const { item, product } of lines) {
    if (product.stock < item.quantity) throw new ProblemException(409, `Not enough stock for ${product.sku}`);
  }
  const priced = lines.map(({ item, product, lineNo }) => ({
    lineNo,
    productId: product.id,
    sku: product.sku,
    name: product.name,
    unitPriceCents: product.price_cents,
    quantity: item.quantity,
    lineTotalCents: product.price_cents * item.quantity,
  }));
  return {
    lines: priced,
    currency: [...currencies][0],
    totalCents: priced.reduce((sum, line) => sum + line.lineTotalCents, 0),
  };
}

/** docs/http-contract.md: no product twice in one order. */
export function assertDistinctProducts(items: OrderItemInput[]): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const id = item.productId.toLowerCase();
    if (seen.has(id))
      throw new ProblemException(400, 'Request validation failed', {}, [
        { field: `items.${index}.productId`, message: 'a product may appear only once per order' },
      ]);
    seen.add(id);
  });
}
