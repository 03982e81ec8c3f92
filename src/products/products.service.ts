import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AuditActor } from '../audit/audit-actor.decorator';
import { AuditService } from '../audit/audit.service';
import { ProblemException } from '../common/http/problem.exception';
import { isUniqueViolation } from '../database/postgres-errors';
import { CreateProductDto } from './dto/create-product.dto';
import { ListProductsQuery } from './dto/list-products.query';
import { UpdateProductDto } from './dto/update-product.dto';
import { Product } from './product.entity';

@Injectable()
export class ProductsService {
  constructor(
    @InjectRepository(Product) private readonly products: Repository<Product>,
    private readonly audit: AuditService,
  ) {}

  async listActive(query: ListProductsQuery): Promise<{ rows: Product[]; total: number }> {
    const builder = this.products
      .createQueryBuilder('p')
      .where('p.active = true')
      .orderBy('p.name', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .take(query.limit)
      .skip(query.offset);
    if (query.q) {
      // The search text is a bound parameter; escaping makes % and _ match themselves.
      builder.andWhere(`p.name ILIKE :pattern ESCAPE '\\'`, { pattern: `%${escapeLike(query.q)}%` });
    }
    const [rows, total] = await builder.getManyAndCount();
    return { rows, total };
  }

  /** An inactive product is as absent as a missing one for the public. */
  async getActive(id: string): Promise<Product> {
    const product = await this.products.findOneBy({ id, active: true });
    if (!product) throw new ProblemException(404, 'Product not found');
    return product;
  }

  /** Any product, active or not: for the people who manage the catalogue. */
  findForEditing(id: string): Promise<Product | null> {
    return this.products.findOneBy({ id });
  }

  async create(input: CreateProductDto, actor: AuditActor): Promise<Product> {
    return this.audited('product.create', actor, (manager) => manager.save(manager.create(Product, { ...input, description: input.description ?? '' })));
  }

  /**
   * Writes only the columns the request names, in one UPDATE: saving the whole entity the policy
   * guard loaded earlier would write back a `stock` read before concurrent sales, and oversell.
   */
  async update(product: Product, changes: UpdateProductDto, actor: AuditActor): Promise<Product> {
    const named = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    return this.audited('product.update', actor, async (manager) => {
      if (Object.keys(named).length > 0) await manager.update(Product, { id: product.id }, named);
      return manager.findOneByOrFail(Product, { id: product.id });
    });
  }

  /** Writes and audits in one transaction; a taken sku is 409 (unique index, not a racy pre-check). */
  private async audited(action: string, actor: AuditActor, write: (manager: EntityManager) => Promise<Product>): Promise<Product> {
    try {
      return await this.products.manager.transaction(async (manager: EntityManager) => {
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

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
