import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ProductsModule } from '../products/products.module';
import { IdempotencyKeysRepository } from './idempotency-keys.repository';
import { OrderPolicy } from './order.policy';
import { OrdersController } from './orders.controller';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';

@Module({
  // ProductsModule: an order takes its products' stock, under their row locks.
  imports: [AuditModule, ProductsModule],
  controllers: [OrdersController],
  providers: [OrdersRepository, IdempotencyKeysRepository, OrdersService, OrderPolicy],
})
export class OrdersModule {}
