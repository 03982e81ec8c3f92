import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditActor } from '../audit/audit-actor.decorator';
import { AuditService } from '../audit/audit.service';
import { ProblemException } from '../common/http/problem.exception';
import { isUniqueViolation } from '../database/postgres-errors';
import { CreateProductDto } from './dto/create-product.dto';
import { ListProductsQuery } from './dto/list-products.query';
import { UpdateProductDto } from './dto/update-product.dto';
import { Product } from './product.entity';
import { ProductsRepository } from './products.repository';

@Injectable()
export class ProductsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly products: ProductsRepository,
    private readonly audit: AuditService,
  ) {}

  async listActive(query: ListProductsQuery): Promise<{ rows: Product[]; total: number }> {
    const [rows, total] = await this.products.pageActive({ search: query.q, limit: query.limit, offset: query.offset });
    return { rows, total };
  }

  /** An inactive product is as absent as a missing one for the public. */
  async getActive(id: string): Promise<Product> {
    const product = await this.products.findActive(id);
    if (!product) throw new ProblemException(404, 'Product not found');
    return product;
  }

  async create(input: CreateProductDto, actor: AuditActor): Promise<Product> {
    return this.audited('product.create', actor, (manager) => this.products.insert({ ...input, description: input.description ?? '' }, manager));
  }

  /**
   * Writes only the columns the request names (ProductsRepository.update): the product the policy
   * guard loaded earlier may already hold a stale `stock`.
   */
  async update(product: Product, changes: UpdateProductDto, actor: AuditActor): Promise<Product> {
    const named = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    return this.audited('product.update', actor, async (manager) => {
      if (Object.keys(named).length > 0) await this.products.update(product.id, named, manager);
      return this.products.get(product.id, manager);
    });
  }

  /** Writes and audits in one transaction; a taken sku is 409 (unique index, not a racy pre-check). */
  private async audited(action: string, actor: AuditActor, write: (manager: EntityManager) => Promise<Product>): Promise<Product> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const product = await write(manager);
        await this.audit.record({ ...actor, action, targetType: 'product', targetId: product.id, outcome: 'success' }, manager);
        return product;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ProblemException(409, 'A product with this sku already exists');
      throw error;
    }
  }
}
