import { SetMetadata } from '@nestjs/common';
import type { SchemaObject } from '@nestjs/swagger';

export const API_PATH_PARAMS = 'openapi:pathParams';

/**
 * Documents the shape of a route's path parameter that is not an id (a UUID, the default of declarePathIds): its
 * schema, bounded (OWASP API4). Read by the document builder for the handler only.
 */
export const ApiPathParam = (name: string, schema: SchemaObject): MethodDecorator => SetMetadata(API_PATH_PARAMS, { [name]: schema });
