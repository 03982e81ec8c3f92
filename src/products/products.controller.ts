import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, AuditActor } from '../audit/audit-actor.decorator';
import { ApiPageResponse } from '../common/openapi/api-page.decorator';
import { ApiProblem } from '../common/openapi/api-problems.decorator';
import { Page, toPage } from '../common/pagination/page';
import { toResponse } from '../common/http/response';
import { Scopes } from '../security/access.decorators';
import { LoadedResource } from '../security/loaded-resource.decorator';
import { Policy } from '../security/policy';
import { Public } from '../security/public.decorator';
import { Product } from './product.entity';
import { ProductPolicy } from './product.policy';
import { CreateProductDto } from './dto/create-product.dto';
import { ListProductsQuery } from './dto/list-products.query';
import { UpdateProductDto } from './dto/update-product.dto';
import { AdminProductResponse, ProductResponse } from './product.response';
import { ProductsService } from './products.service';

@ApiTags('products')
@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'List active products' })
  @ApiPageResponse(ProductResponse)
  async list(@Query() query: ListProductsQuery): Promise<Page<ProductResponse>> {
    const { rows, total } = await this.products.listActive(query);
    return toPage(ProductResponse, rows, total, query);
  }

  @Public()
  @Get(':id')
  @ApiOperation({ summary: 'Read an active product' })
  @ApiOkResponse({ type: ProductResponse })
  @ApiProblem(404, 'Product not found')
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<ProductResponse> {
    return toResponse(ProductResponse, await this.products.getActive(id));
  }

  @Post()
  @HttpCode(201)
  @Scopes('products:write')
  @ApiOperation({ summary: 'Create a product' })
  @ApiCreatedResponse({ type: AdminProductResponse })
  @ApiProblem(409, 'A product with this sku already exists')
  async create(@Body() body: CreateProductDto, @Actor() actor: AuditActor): Promise<AdminProductResponse> {
    return toResponse(AdminProductResponse, await this.products.create(body, actor));
  }

  @Patch(':id')
  @Scopes('products:write')
  @Policy(ProductPolicy, 'edit')
  @ApiOperation({ summary: 'Edit a product' })
  @ApiOkResponse({ type: AdminProductResponse })
  @ApiProblem(409, 'A product with this sku already exists')
  async update(@LoadedResource() product: Product, @Body() body: UpdateProductDto, @Actor() actor: AuditActor): Promise<AdminProductResponse> {
    return toResponse(AdminProductResponse, await this.products.update(product, body, actor));
  }
}
