import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, OperationObject, SecurityRequirementObject, SwaggerModule } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger';
import { IS_PUBLIC } from '../http/public-route';
import { pageInfoSchema } from './api-page.decorator';
import { API_PATH_PARAMS } from './api-path-param.decorator';
import { API_OAUTH_ERRORS, API_PROBE, API_PROBLEMS, DocumentedProblem } from './api-problems.decorator';
import { declareErrorResponses } from './error-responses';
import { problemSchemas, responseHeaders } from './problem-schemas';
import { boundSchema, boundSchemas, declarePathIds } from './schema-bounds';

/** The two ways a credential is sent (docs/http-contract.md, Authentication); a request uses exactly one of them. */
const BEARER = 'bearer';
const API_KEY = 'apiKey';
/** RFC 6749 §2.3.1: a client authenticates at the token endpoint with HTTP Basic (or in the body). */
export const CLIENT_BASIC = 'clientSecretBasic';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

/** The groups of the document, in the order a reader meets them. */
const TAGS: { name: string; description: string }[] = [
  { name: 'auth', description: 'Registration, login, refresh, logout, password change, signing keys' },
  { name: 'oauth', description: 'OAuth 2.0 for service clients: the token endpoint and server metadata' },
  { name: 'users', description: 'Your own account, and admin views of every account' },
  { name: 'products', description: 'The catalogue: public reads, writes for admins and products:write' },
  { name: 'orders', description: 'Placing, reading, cancelling and fulfilling orders' },
  { name: 'api-keys', description: 'Your own API keys: create, list, rotate, revoke' },
  { name: 'service-clients', description: 'Admin: OAuth 2.0 service clients and their keys' },
  { name: 'audit', description: 'Admin: the append-only audit trail' },
  { name: 'health', description: 'Liveness and readiness probes' },
];

export interface DocumentedOperation {
  method: (typeof HTTP_METHODS)[number];
  /** As OpenAPI writes it: `/api/v1/orders/{id}`. */
  path: string;
  operation: OperationObject;
}

/** Nest's own operationId format, named here because routeMetadata() has to build the same ids. */
const operationId = (controller: string, handler: string): string => `${controller}_${handler}`;

export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Orders API')
    .setDescription(
      'A reference e-commerce (orders) API with security built in. The contract in words is docs/http-contract.md ' +
        'in the repository; errors are RFC 9457 problem details, except at the OAuth token endpoint (RFC 6749 §5.2).',
    )
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/license/mit')
    // Relative: the document describes the origin that serves it (npm start, or the TLS edge in front).
    // Public: the whole API faces the internet (OWASP API9 asks each server to say so).
    .addServer('/', 'The origin that serves this document: local (npm start), or production behind the TLS edge', {}, { 'x-internal': false })
    .addSecurity(BEARER, {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'An access token (an RS256 JWT, typ at+jwt, following RFC8725 and RFC 9068), or an API key',
    })
    .addSecurity(API_KEY, { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key' })
    .addSecurity(CLIENT_BASIC, { type: 'http', scheme: 'basic', description: 'A service client: client_id and client_secret (client_secret_basic)' });
  for (const tag of TAGS) builder.addTag(tag.name, tag.description);
  const document = SwaggerModule.createDocument(app, builder.build(), { operationIdFactory: operationId });
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...problemSchemas, PageInfo: pageInfoSchema },
    headers: responseHeaders,
  };
  const routes = routeMetadata(app);
  for (const { method, path, operation } of documentedOperations(document)) {
    const route = routes.get(operation.operationId ?? '');
    const authenticated = !route?.isPublic;
    declareSecurity(operation, authenticated);
    declarePathIds(path, operation, route?.pathParams);
    declareErrorResponses(operation, {
      method,
      authenticated,
      problems: route?.problems ?? [],
      oauthErrors: route?.oauthErrors ?? false,
      probe: route?.probe ?? false,
    });
    for (const schema of inlineSchemas(operation)) boundSchema(schema);
  }
  boundSchemas(document);
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
 * enforces, so the document cannot drift from the code: either scheme on authenticated routes; on
 * public ones none, or what the route declared (the token endpoint's client authentication).
 */
function declareSecurity(operation: OperationObject, authenticated: boolean): void {
  // Two requirement objects are alternatives (OpenAPI 3.0, Security Requirement): either one will do.
  const either: SecurityRequirementObject[] = [{ [BEARER]: [] }, { [API_KEY]: [] }];
  operation.security = authenticated ? either : (operation.security ?? []);
}

/** The schemas an operation writes inline rather than as components (list envelopes, hand-written bodies). */
function inlineSchemas(operation: OperationObject): SchemaObject[] {
  const bodies = [operation.requestBody, ...Object.values(operation.responses)];
  return bodies.flatMap((body) =>
    body && 'content' in body ? Object.values(body.content ?? {}).flatMap((media) => (media.schema && !('$ref' in media.schema) ? [media.schema] : [])) : [],
  );
}

interface RouteMetadata {
  isPublic: boolean;
  problems: DocumentedProblem[];
  oauthErrors: boolean;
  probe: boolean;
  /** The shapes of path parameters that are not ids (@ApiPathParam). */
  pathParams?: Record<string, SchemaObject>;
}

/** The metadata of every handler, by operationId, looked up as the guards do (handler, then class). */
function routeMetadata(app: NestFastifyApplication): Map<string, RouteMetadata> {
  const reflector = app.get(Reflector);
  const scanner = new MetadataScanner();
  const routes = new Map<string, RouteMetadata>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (!metatype) continue;
      for (const name of scanner.getAllMethodNames(metatype.prototype as object)) {
        const targets = [(metatype.prototype as Record<string, () => unknown>)[name], metatype];
        routes.set(operationId(metatype.name, name), {
          isPublic: reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) ?? false,
          problems: reflector.getAllAndMerge<DocumentedProblem[]>(API_PROBLEMS, targets),
          oauthErrors: reflector.getAllAndOverride<boolean>(API_OAUTH_ERRORS, targets) ?? false,
          probe: reflector.getAllAndOverride<boolean>(API_PROBE, targets) ?? false,
          pathParams: reflector.get<Record<string, SchemaObject> | undefined>(API_PATH_PARAMS, targets[0]),
        });
      }
    }
  }
  return routes;
}

/** `GET /docs` (the UI) and `GET /docs/openapi.json`; never mounted in production (docs/http-contract.md, Docs). */
export function setUpOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs/openapi.json',
    // One document at one documented URL: no extra YAML route to forget about.
    raw: ['json'],
    useGlobalPrefix: false,
  });
}
