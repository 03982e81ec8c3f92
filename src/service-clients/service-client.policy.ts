import { Injectable } from '@nestjs/common';
import type { Principal } from '../security/principal';
import type { ServiceClient } from './service-client.entity';
import { ServiceClientsRepository } from './service-clients.repository';

/** Service clients belong to no user: admins (the routes' @Roles) act on any that is not deleted. */
@Injectable()
export class ServiceClientPolicy {
  static readonly notFound = 'Service client not found';

  constructor(private readonly clients: ServiceClientsRepository) {}

  manage(_principal: Principal, id: string): Promise<ServiceClient | null> {
    return this.clients.findActive('service', id);
  }
}
