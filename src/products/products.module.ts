import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { DemoProductsSeeder } from './demo-products.seeder';
import { Product } from './product.entity';
import { ProductsController } from './products.controller';
import { ProductsService } from './products.service';

@Module({
  imports: [TypeOrmModule.forFeature([Product]), AuditModule],
  controllers: [ProductsController],
  // DemoProductsSeeder: main.ts fills an empty embedded database with it.
  providers: [ProductsService, DemoProductsSeeder],
  exports: [ProductsService],
})
export class ProductsModule {}
