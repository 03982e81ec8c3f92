import { ApiKey } from './api-keys/api-key.entity';
import { AuditEvent } from './audit/audit-event.entity';
import { RefreshToken } from './auth/refresh-token.entity';
import { IdempotencyKey } from './orders/idempotency-key.entity';
import { OrderLine } from './orders/order-line.entity';
import { Order } from './orders/order.entity';
import { Product } from './products/product.entity';
import { ServiceClient } from './service-clients/service-client.entity';
import { User } from './users/user.entity';
import { AccountToken } from './auth/account-links/account-token.entity';
import { OutboxMail } from './mail/outbox-mail.entity';
import { AuthorizationRequest } from './oauth/authorization-request.entity';
import { OAuthConsent } from './oauth/oauth-consent.entity';

/**
 * Every entity, listed explicitly (no globbing: the same list works from src/ and dist/). Each table belongs
 * to its feature folder, so the list is part of the composition root, handed to dataSourceOptions():
 * database/ never imports a feature.
 */
export const ENTITIES = [
  User,
  Product,
  Order,
  OrderLine,
  IdempotencyKey,
  AuditEvent,
  RefreshToken,
  ServiceClient,
  ApiKey,
  AccountToken,
  OutboxMail,
  AuthorizationRequest,
  OAuthConsent,
];
