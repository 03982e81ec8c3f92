import { Body, Controller, Get, Headers, HttpCode, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Actor, AuditActor } from '../audit/audit-actor.decorator';
import { ProblemException } from '../common/http/problem.exception';
import { toResponse } from '../common/http/response';
import { EmptyBodyPipe } from '../common/validation/empty-body.pipe';
import { ApiPageResponse } from '../common/openapi/api-page.decorator';
import { ApiProblem } from '../common/openapi/api-problems.decorator';
import { Page, toPage } from '../common/pagination/page';
import { Scopes } from '../security/access.decorators';
import { seesEveryone } from '../security/authorization.guard';
import { CurrentPrincipal } from '../security/current-principal.decorator';
import { LoadedResource } from '../security/loaded-resource.decorator';
import { Policy } from '../security/policy';
import type { Principal } from '../security/principal';
import { requireUser, requireVerifiedEmail } from '../security/require-user';
import { ChangeStatusDto } from './dto/change-status.dto';
import { ListOrdersQuery } from './dto/list-orders.query';
import { PlaceOrderDto } from './dto/place-order.dto';
import { Order } from './order.entity';
import { OrderPolicy, ownerScopeFor } from './order.policy';
import { AdminOrderResponse, OrderResponse, OrderStatusResponse } from './order.response';
import { OrdersService } from './orders.service';

/** RFC 9110 token-ish: 1..255 visible ASCII characters (docs/http-contract.md, Orders). */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** Admins and service clients get the admin view (a separate class), everyone else the customer view. */
function orderView(principal: Principal): typeof OrderResponse {
  return seesEveryone(principal) ? AdminOrderResponse : OrderResponse;
}

/** A route answering either view: the customer's, or the admin's with `userId`. */
const EITHER_VIEW = { schema: { oneOf: [{ $ref: getSchemaPath(OrderResponse) }, { $ref: getSchemaPath(AdminOrderResponse) }] } };

@ApiTags('orders')
@ApiExtraModels(OrderResponse, AdminOrderResponse)
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @HttpCode(201)
  @Scopes('orders:write')
  @ApiOperation({ summary: 'Place an order (prices, total and status come from the server)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, schema: { type: 'string', pattern: IDEMPOTENCY_KEY.source, maxLength: 255 } })
  @ApiCreatedResponse({
    ...EITHER_VIEW,
    description: 'Placed; or, for a retry with the same Idempotency-Key and body, the first order again',
    headers: { 'Idempotent-Replayed': { description: 'Present (`true`) when this is the first answer replayed', schema: { type: 'string', enum: ['true'] } } },
  })
  @ApiProblem(403, 'Only a user (not a service client) places orders, and only once their address is verified (type /problems/email-not-verified)')
  @ApiProblem(409, 'Not enough stock: nothing of the order is kept')
  @ApiProblem(422, 'An unknown or inactive product, products in different currencies, or an Idempotency-Key reused with another body')
  async place(
    @CurrentPrincipal() principal: Principal,
    @Body() body: PlaceOrderDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Actor() actor: AuditActor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderResponse> {
    // Orders belong to people: a service client cannot place one (docs/http-contract.md: "user with orders:write").
    const userId = requireUser(principal);
    requireVerifiedEmail(principal);
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new ProblemException(400, 'Idempotency-Key must be 1 to 255 visible ASCII characters');
    }
    const { order, replayed } = await this.orders.place(userId, body, actor, idempotencyKey);
    if (replayed) void reply.header('idempotent-replayed', 'true');
    return toResponse(orderView(principal), order);
  }

  @Get()
  @Scopes('orders:read')
  @ApiOperation({ summary: 'List orders: your own, or everyone’s for admins and service clients' })
  @ApiPageResponse(OrderResponse, AdminOrderResponse)
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListOrdersQuery): Promise<Page<OrderResponse>> {
    const owner = ownerScopeFor(principal);
    if (owner !== undefined && query.userId !== undefined) {
      throw new ProblemException(400, 'Request validation failed', {}, [{ field: 'userId', message: 'userId is for admins and service clients only' }]);
    }
    const { rows, total } = await this.orders.list(owner, query);
    return toPage(orderView(principal), rows, total, query);
  }

  @Get(':id')
  @Scopes('orders:read')
  @Policy(OrderPolicy, 'read')
  @ApiOperation({ summary: 'Read an order' })
  @ApiOkResponse(EITHER_VIEW)
  get(@CurrentPrincipal() principal: Principal, @LoadedResource() order: Order): OrderResponse {
    return toResponse(orderView(principal), order);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Scopes('orders:write')
  @Policy(OrderPolicy, 'cancel')
  @ApiOperation({ summary: 'Cancel an order (from pending or paid; the stock goes back)' })
  @ApiOkResponse(EITHER_VIEW)
  @ApiProblem(409, 'The order can no longer be cancelled')
  async cancel(
    @CurrentPrincipal() principal: Principal,
    @LoadedResource() order: Order,
    @Body(EmptyBodyPipe) _body: unknown,
    @Actor() actor: AuditActor,
  ): Promise<OrderResponse> {
    return toResponse(orderView(principal), await this.orders.cancel(order, ownerScopeFor(principal), actor));
  }

  /**
   * `orders:fulfil` moves any order, but reading one is `orders:read`'s: without it the answer is
   * the minimal status view, and a refused move does not name the current status (docs/decisions/0011).
   */
  @Patch(':id/status')
  @Scopes('orders:fulfil')
  @Policy(OrderPolicy, 'fulfil')
  @ApiOperation({ summary: 'Move an order on: pending, paid, shipped, delivered' })
  @ApiExtraModels(OrderStatusResponse)
  @ApiOkResponse({
    description: 'The order, as the caller may see it, with `orders:read`; without it, only its id, status and update time',
    schema: { oneOf: [...EITHER_VIEW.schema.oneOf, { $ref: getSchemaPath(OrderStatusResponse) }] },
  })
  @ApiProblem(409, 'The order cannot move to that status')
  async changeStatus(
    @CurrentPrincipal() principal: Principal,
    @LoadedResource() order: Order,
    @Body() body: ChangeStatusDto,
    @Actor() actor: AuditActor,
  ): Promise<OrderResponse | OrderStatusResponse> {
    // Whether GET /orders/:id would show this caller the order: orders:read, and either every order or this one is theirs.
    const mayReadOrder = principal.scopes.has('orders:read') && [undefined, order.userId].includes(ownerScopeFor(principal));
    const changed = await this.orders.changeStatus(order, body.status, actor, mayReadOrder);
    return mayReadOrder ? toResponse(orderView(principal), changed) : toResponse(OrderStatusResponse, changed);
  }
}
