import { OrdersService } from './orders.service';
import { ResourcePolicy } from '../security/policy';
import { seesEveryone } from '../security/authorization.guard';
import type { Principal } from '../security/principal';
import type { Order } from './order.entity';

/** Admins and service clients reach every order; everyone else only their own (ownership in the query). */
export function ownerScopeFor(principal: Principal): string | undefined {
  return seesEveryone(principal) ? undefined : principal.id;
}

/** An order as this principal may see it: owner, admin, or a service client. */
const visibleOrder: ResourcePolicy<Order> = {
  notFound: 'Order not found',
  load: (modules, principal, id) => modules.get(OrdersService, { strict: false }).find(id, ownerScopeFor(principal)),
};

/** Who may act on one order. Scopes and roles are checked before, by the route's @Scopes/@Roles. */
export const OrderPolicy: Record<'read' | 'cancel' | 'fulfil', ResourcePolicy<Order>> = {
  // Owner, admin, or a service client with orders:read.
  read: visibleOrder,
  // Owner or admin: a service client never cancels, whatever its scopes.
  cancel: {
    notFound: 'Order not found',
    load: (modules, principal, id) => (principal.kind === 'user' ? visibleOrder.load(modules, principal, id) : Promise.resolve(null)),
  },
  // Fulfilment is not owner-bound: whoever holds orders:fulfil (checked before by @Scopes: admins,
  // fulfilment clients, or an admin's key granted that scope) works on every order.
  fulfil: {
    notFound: 'Order not found',
    load: (modules, _principal, id) => modules.get(OrdersService, { strict: false }).find(id, undefined),
  },
};
