import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DemoProductsSeeder } from './demo-products.seeder';
import { ProductPolicy } from './product.policy';
import { ProductsController } from './products.controller';
import { ProductsRepository } from './products.repository';
import { ProductsService } from './products.service';

@Module({
  imports: [AuditModule],
  controllers: [ProductsController],
  // DemoProductsSeeder: main.ts fills an empty embedded database with it.
  providers: [ProductsRepository, ProductsService, ProductPolicy, DemoProductsSeeder],
  // ProductsRepository: an order takes and gives back stock in its own transaction (src/orders).
  exports: [ProductsRepository],
})
export class ProductsModule {}
