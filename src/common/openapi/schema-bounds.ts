import type { OpenAPIObject, OperationObject, ParameterObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';

/** `2026-12-01T15:11:26.000Z`: what JSON.stringify makes of a Date, the only way this API writes a time. */
const DATE_TIME_LENGTH = 24;
export const UUID_LENGTH = 36;

/**
 * Every request body and response of this API is a class whose fields are a whitelist: unknown body
 * fields are 400 (forbidNonWhitelisted) and responses keep only @Expose() fields. So every object
 * schema says `additionalProperties: false`, unless it says otherwise on purpose (OWASP API3).
 * Formats whose length is fixed say so, so every string of the document is bounded (OWASP API4).
 */
export function boundSchemas(document: OpenAPIObject): void {
  for (const schema of Object.values(document.components?.schemas ?? {})) boundSchema(schema as SchemaObject);
}

/** The same for one schema written inline (a list envelope, a hand-written body). */
export function boundSchema(schema: SchemaObject): void {
  if (schema.type === 'object' && schema.additionalProperties === undefined) schema.additionalProperties = false;
  if (schema.type === 'string' && schema.maxLength === undefined) {
    if (schema.format === 'uuid') schema.maxLength = UUID_LENGTH;
    if (schema.format === 'date-time') schema.maxLength = DATE_TIME_LENGTH;
  }
  for (const child of [...Object.values(schema.properties ?? {}), schema.items, ...(schema.allOf ?? []), ...(schema.oneOf ?? [])]) {
    if (child && !('$ref' in child)) boundSchema(child);
  }
}

/**
 * Every path parameter of this API is an id, and ids are UUIDs (a malformed one is 400, before any lookup), unless
 * the route declared its shape (`declared`, from @ApiPathParam: an app's public client_id). Routes whose parameter
 * is read by a @Policy() guard have no @Param() for the generator to see, so each `{name}` of the path is declared
 * here, from the path itself.
 */
export function declarePathIds(path: string, operation: OperationObject, declared: Record<string, SchemaObject> = {}): void {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
  const others = (operation.parameters ?? []).filter((parameter: ParameterObject | ReferenceObject) => !('in' in parameter && parameter.in === 'path'));
  const ids: ParameterObject[] = names.map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: declared[name] ?? { type: 'string', format: 'uuid', maxLength: UUID_LENGTH },
  }));
  operation.parameters = [...ids, ...others];
}
