import { Injectable } from '@nestjs/common';
import type { Principal } from '../security/principal';
import type { ServiceClient } from './service-client.entity';
import { ServiceClientsRepository } from './service-clients.repository';

/** Apps belong to no user: admins (the routes' @Roles) act on any that is not deleted; a service client's id is not one. */
@Injectable()
export class AppClientPolicy {
  static readonly notFound = 'App client not found';

  constructor(private readonly clients: ServiceClientsRepository) {}

  manage(_principal: Principal, id: string): Promise<ServiceClient | null> {
    return this.clients.findActive('app', id);
  }
}
