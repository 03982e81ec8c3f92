import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ProblemException } from '../common/http/problem.exception';
import { isUniqueViolation } from '../database/postgres-errors';
import { CreateProductDto } from './dto/create-product.dto';
import { ListProductsQuery } from './dto/list-products.query';
import { UpdateProductDto } from './dto/update-product.dto';
import { Product } from './product.entity';

@Injectable()
export class ProductsService {
  constructor(@InjectRepository(Product) private readonly products: Repository<Product>) {}

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

  async create(input: CreateProductDto): Promise<Product> {
    try {
      return await this.products.save(this.products.create({ ...input, description: input.description ?? '' }));
    } catch (error) {
      if (isUniqueViolation(error)) throw new ProblemException(409, 'A product with this sku already exists');
      throw error;
    }
  }

  /** Any product, active or not: for the people who manage the catalogue. */
  findForEditing(id: string): Promise<Product | null> {
    return this.products.findOneBy({ id });
  }

  async update(product: Product, changes: UpdateProductDto): Promise<Product> {
    try {
      return await this.products.save(this.products.merge(product, changes));
    } catch (error) {
      if (isUniqueViolation(error)) throw new ProblemException(409, 'A product with this sku already exists');
      throw error;
    }
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
