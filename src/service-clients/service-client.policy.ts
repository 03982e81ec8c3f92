import { ResourcePolicy } from '../security/policy';
import type { ServiceClient } from './service-client.entity';
import { ServiceClientsService } from './service-clients.service';

/** Service clients belong to no user: admins (the routes' @Roles) act on any that is not deleted. */
export const ServiceClientPolicy: Record<'manage', ResourcePolicy<ServiceClient>> = {
  manage: {
    notFound: 'Service client not found',
    load: (modules, _principal, id) => modules.get(ServiceClientsService, { strict: false }).findActive(id),
  },
};
