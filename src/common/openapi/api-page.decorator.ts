import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath, type SchemaObject } from '@nestjs/swagger';
import { MAX_OFFSET, PAGE_LIMIT_MAX } from '../pagination/page-query.dto';

/**
 * The 200 of a list route: `{ data: [...], page: { limit, offset, total } }` (docs/http-contract.md,
 * Pagination), with the item class (or, for routes with two views, either class) inside it.
 */
export function ApiPageResponse(...itemClasses: Type[]): MethodDecorator & ClassDecorator {
  const refs = itemClasses.map((itemClass) => ({ $ref: getSchemaPath(itemClass) }));
  return applyDecorators(
    ApiExtraModels(...itemClasses),
    ApiOkResponse({
      schema: {
        type: 'object',
        required: ['data', 'page'],
        properties: {
          data: { type: 'array', maxItems: PAGE_LIMIT_MAX, items: refs.length === 1 ? refs[0] : { oneOf: refs } },
          page: { $ref: '#/components/schemas/PageInfo' },
        },
      },
    }),
  );
}

const COUNT = { type: 'integer', format: 'int32', minimum: 0 };

export const pageInfoSchema: SchemaObject = {
  type: 'object',
  required: ['limit', 'offset', 'total'],
  properties: {
    limit: { ...COUNT, minimum: 1, maximum: PAGE_LIMIT_MAX },
    offset: { ...COUNT, maximum: MAX_OFFSET },
    total: { ...COUNT, maximum: 2_147_483_647, description: 'How many items the whole list holds' },
  },
};
