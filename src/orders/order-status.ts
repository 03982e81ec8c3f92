export const ORDER_STATUSES = ['pending', 'paid', 'shipped', 'delivered', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The forward path of an order (docs/http-contract.md, Orders): pending → paid → shipped → delivered. */
const NEXT_STATUS: Partial<Record<OrderStatus, OrderStatus>> = {
  pending: 'paid',
  paid: 'shipped',
  shipped: 'delivered',
};

/** Statuses from which `cancel` is allowed; cancelling puts the stock back. */
const CANCELLABLE: ReadonlySet<OrderStatus> = new Set(['pending', 'paid']);

export function canMoveTo(from: OrderStatus, to: OrderStatus): boolean {
  if (to === 'cancelled') return CANCELLABLE.has(from);
  return NEXT_STATUS[from] === to;
}
