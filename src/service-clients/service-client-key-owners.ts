import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import type { ClientKeyOwners } from '../api-keys/api-key-owner';
import { ServiceClient } from './service-client.entity';

/** What api-keys needs of a service client that owns keys (see ClientKeyOwners): its row, locked, if not deleted. */
@Injectable()
export class ServiceClientKeyOwners implements ClientKeyOwners {
  lockActive(manager: EntityManager, clientId: string): Promise<ServiceClient | null> {
    // The lock serializes key changes per owner, so two concurrent requests cannot both take the last free slot.
    return manager.findOne(ServiceClient, { where: { id: clientId, deletedAt: IsNull() }, lock: { mode: 'pessimistic_write' } });
  }
}
