import { Module } from '@nestjs/common';
import { OrdersService } from './orders.service';

/** The order domain. Its HTTP routes arrive with authorization (they need a principal). */
@Module({
  providers: [OrdersService],
  exports: [OrdersService],
})
export class OrdersModule {}
