import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, OperationObject, SecurityRequirementObject, SwaggerModule } from '@nestjs/swagger';
import { IS_PUBLIC } from '../../security/public.decorator';

/** The two ways a credential is sent (API.md, Authentication); a request uses exactly one of them. */
const BEARER = 'bearer';
const API_KEY = 'apiKey';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

export interface DocumentedOperation {
  method: (typeof HTTP_METHODS)[number];
  /** As OpenAPI writes it: `/api/v1/orders/{id}`. */
  path: string;
  operation: OperationObject;
}

/** Nest's own operationId format, named here because publicOperationIds() has to build the same ids. */
const operationId = (controller: string, handler: string): string => `${controller}_${handler}`;

export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Orders API')
    .setDescription('A reference e-commerce API with security built in. The contract is API.md.')
    .setVersion('1')
    .addSecurity(BEARER, { type: 'http', scheme: 'bearer', description: 'An access token (JWT), or an API key' })
    .addSecurity(API_KEY, { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key' })
    .build();
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: operationId });
  declareSecurity(document, publicOperationIds(app));
  return document;
}

/** Every operation of the document, with its method and path. */
export function documentedOperations(document: OpenAPIObject): DocumentedOperation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    HTTP_METHODS.flatMap((method) => (item[method] ? [{ method, path, operation: item[method] }] : [])),
  );
}

/** The committed `openapi.json` as `npm run openapi:generate` writes it: 2-space JSON, final newline. */
export function serializeOpenApiDocument(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * Each operation says whether it needs a credential (OWASP API8/API9: readers and scanners must see
 * which routes are open). It is derived from `@Public()`, the very metadata the authentication guard
 * enforces, so the document cannot drift from the code: `[]` (none) on public routes, else either
 * scheme. This replaces any hand-written `@ApiBearerAuth()`.
 */
function declareSecurity(document: OpenAPIObject, publicIds: Set<string>): void {
  // Two requirement objects are alternatives (OpenAPI 3.0, Security Requirement): either one will do.
  const authenticated: SecurityRequirementObject[] = [{ [BEARER]: [] }, { [API_KEY]: [] }];
  for (const { operation } of documentedOperations(document)) {
    operation.security = publicIds.has(operation.operationId ?? '') ? [] : authenticated;
  }
}

/** The operationIds of the `@Public()` handlers, looked up as AuthenticationGuard does (handler, then class). */
function publicOperationIds(app: NestFastifyApplication): Set<string> {
  const reflector = app.get(Reflector);
  const scanner = new MetadataScanner();
  const ids = new Set<string>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (!metatype) continue;
      for (const name of scanner.getAllMethodNames(metatype.prototype)) {
        const handler = metatype.prototype[name] as Function;
        if (reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler, metatype])) ids.add(operationId(metatype.name, name));
      }
    }
  }
  return ids;
}

/** `GET /docs` (the UI) and `GET /docs/openapi.json`; never mounted in production (API.md, Docs). */
export function setUpOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs/openapi.json',
    // One document at one documented URL (API.md): no extra YAML route to forget about.
    raw: ['json'],
    useGlobalPrefix: false,
  });
}
