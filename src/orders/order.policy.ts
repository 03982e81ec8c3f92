import { Injectable } from '@nestjs/common';
import { seesEveryone } from '../security/authorization.guard';
import type { Principal } from '../security/principal';
import type { Order } from './order.entity';
import { OrdersRepository, OwnerScope } from './orders.repository';

/** Admins and service clients reach every order; everyone else only their own (ownership in the query). */
export function ownerScopeFor(principal: Principal): OwnerScope {
  return seesEveryone(principal) ? undefined : principal.id;
}

/** Who may act on one order (`@Policy(OrderPolicy, 'read')`). Scopes and roles are checked before, by the route's @Scopes/@Roles. */
@Injectable()
export class OrderPolicy {
  static readonly notFound = 'Order not found';

  constructor(private readonly orders: OrdersRepository) {}

  /** Owner, admin, or a service client with orders:read. */
  read(principal: Principal, id: string): Promise<Order | null> {
    return this.orders.find(id, ownerScopeFor(principal));
  }

  /** Owner or admin: a service client never cancels, whatever its scopes. */
  async cancel(principal: Principal, id: string): Promise<Order | null> {
    return principal.kind === 'user' ? this.read(principal, id) : null;
  }

  /**
   * Fulfilment is not owner-bound: whoever holds orders:fulfil (checked before by @Scopes: admins,
   * fulfilment clients, or an admin's key granted that scope) works on every order.
   */
  fulfil(_principal: Principal, id: string): Promise<Order | null> {
    return this.orders.find(id, undefined);
  }
}
