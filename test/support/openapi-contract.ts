import { NestFastifyApplication } from '@nestjs/platform-fastify';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { domainToASCII } from 'node:url';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface HeaderObject {
  required?: boolean;
  schema: { type?: string };
}
interface ResponseObject {
  headers?: Record<string, { $ref: string } | HeaderObject>;
  content?: Record<string, { schema: object }>;
}
interface Document {
  paths: Record<string, Record<string, { responses: Record<string, ResponseObject> }>>;
  components: { headers: Record<string, HeaderObject>; schemas: Record<string, object> };
}

/** The committed document, the one clients generate code from (test/docs checks it is what the code generates). */
const DOCUMENT: Document = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8'));
const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** `/api/v1/orders/{id}` as a pattern; paths without parameters first, so `/users/me` wins over `/users/{id}`. */
const ROUTES = Object.keys(DOCUMENT.paths)
  .map((path) => ({ path, pattern: new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}$`), parameters: (path.match(/\{/g) ?? []).length }))
  .sort((a, b) => a.parameters - b.parameters);

/**
 * Not checked, with the reason: the docs UI is SwaggerModule's page, not an operation of the API;
 * /dev/mail is the development mailbox's HTML page (no SMTP_URL, never in production), a page for a
 * developer and not an operation of the API either (@ApiExcludeController: absent from the document);
 * /demo is the demo storefront's page and files (src/demo-storefront.ts, never in production), an app
 * of the API and no operation of it; and a CORS preflight (OPTIONS) is answered by the CORS layer for
 * any path, per the Fetch standard.
 */
const isExcluded = (method: string, path: string) =>
  ['/docs', '/dev/mail', '/demo'].some((page) => path === page || path.startsWith(`${page}/`)) || method === 'OPTIONS' || isAuthorizationPage(path);

/**
 * Not checked either: the OAuth authorization endpoint and its two forms answer a browser with HTML pages and
 * redirects (RFC 6749 §3.1), not with API operations (@ApiExcludeController: absent from the document).
 */
const isAuthorizationPage = (path: string) => path === '/oauth/authorize' || path.startsWith('/oauth/authorize/');

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
// JSON Schema's idn-email (RFC 6531), which ajv-formats lacks: a local part, and a domain that is a valid
// hostname once written in ASCII (IDNA, as url.domainToASCII does).
const isHostname = ajv.formats.hostname as RegExp;
ajv.addFormat('idn-email', (text: string) => {
  const at = text.lastIndexOf('@');
  const domain = domainToASCII(text.slice(at + 1));
  return at > 0 && domain !== '' && isHostname.test(domain) && (ajv.formats.email as RegExp).test(`${text.slice(0, at)}@${domain}`);
});
ajv.addSchema({ components: DOCUMENT.components }, 'openapi.json');
const compiled = new Map<object, ValidateFunction>();

/** A schema of the document as ajv reads it: its `#/components/...` references point into openapi.json. */
function validatorFor(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/')));
    compiled.set(schema, validate);
  }
  return validate;
}

const PROBLEM_SCHEMA = { $ref: '#/components/schemas/Problem' };

/** An answer as either client of the test support sees it: `app.inject()`'s, or HttpClient's. */
export interface Answer {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

/**
 * The one hook (docs/design.md, Tests: every response the HTTP suites receive is checked against
 * openapi.json): wraps the test app's `inject()` (and HttpClient, for service processes, calls
 * expectDocumented too), so each answer a test gets has first been checked to be
 * documented: its status on that operation, its content type, its body against the schema of that
 * status (object schemas forbid extra fields), and every header the document marks required.
 * A route or field the document does not describe fails the test that met it.
 */
export function checkEveryResponseAgainstDocument(app: NestFastifyApplication): void {
  // `app.inject()` hands the request to its HTTP adapter; the app itself is a proxy that cannot be patched.
  const adapter = app.getHttpAdapter() as unknown as { inject(options?: InjectOptions | string): Promise<LightMyRequestResponse> };
  const inject = adapter.inject.bind(adapter);
  const checked = async (options: InjectOptions | string): Promise<LightMyRequestResponse> => {
    const response = await inject(options);
    const { method = 'GET', url = '/' } = typeof options === 'string' ? { url: options } : { method: options.method, url: options.url ?? options.path };
    expectDocumented(String(method).toUpperCase(), typeof url === 'string' ? url : url.pathname, response);
    return response;
  };
  // Without options, inject() returns a request builder; no suite uses one, so it is left as it is.
  adapter.inject = (options?: InjectOptions | string) => (options === undefined ? inject() : checked(options));
}

export function expectDocumented(method: string, url: string, response: Answer): void {
  const path = url.split('?')[0];
  if (isExcluded(method, path)) return;
  const where = `${method} ${path} answered ${response.statusCode}`;
  // A HEAD is answered as its GET, without a body (RFC 9110 §9.3.2).
  const operationMethod = method === 'HEAD' ? 'get' : method.toLowerCase();
  // The path as the router resolves it: a path without parameters wins over one with, whatever the method, since
  // every path takes the methods it lacks with its own 405 (method-not-allowed.ts). So DELETE
  // /auth/sessions/revoke-all is the 405 of that path, not the DELETE /auth/sessions/{id} of an id "revoke-all".
  const route = ROUTES.find(({ pattern }) => pattern.test(path));
  const operation = route && DOCUMENT.paths[route.path][operationMethod];
  if (!operation) {
    // No such operation: the answer is a 4xx (the not-found handler's 404, a 405, or a hook's refusal)
    // in the error shape of the path's own operations (RFC 6749's on the token endpoint), else a problem.
    if (response.statusCode < 400 || response.statusCode >= 500) fail(`${where}, but the document has no such operation`);
    const sibling = route && Object.values(DOCUMENT.paths[route.path]).find((candidate) => candidate?.responses?.['400']);
    if (method !== 'HEAD') expectBody(where, response, sibling?.responses['400'].content ?? { [PROBLEM_MEDIA_TYPE]: { schema: PROBLEM_SCHEMA } });
    return;
  }
  const documented = operation.responses[String(response.statusCode)];
  if (!documented) fail(`${where}, a status the document does not list for it (it lists ${Object.keys(operation.responses).join(', ')})`);
  expectHeaders(where, response, documented.headers ?? {});
  if (method !== 'HEAD') expectBody(where, response, documented.content);
}

function expectBody(where: string, response: Answer, content: ResponseObject['content']): void {
  if (!content) {
    if (response.body !== '') fail(`${where} with a body, where the document says there is none`);
    return;
  }
  const mediaType = String(response.headers['content-type'] ?? '')
    .split(';')[0]
    .trim();
  const documented = content[mediaType];
  if (!documented) fail(`${where} with Content-Type "${mediaType}"; the document says ${Object.keys(content).join(' or ')}`);
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    fail(`${where} with a body that is not JSON: ${response.body.slice(0, 200)}`);
  }
  const validate = validatorFor(documented.schema);
  if (!validate(body)) fail(`${where} with a body that does not match the document: ${ajv.errorsText(validate.errors)}\n${response.body.slice(0, 500)}`);
}

function expectHeaders(where: string, response: Answer, headers: NonNullable<ResponseObject['headers']>): void {
  for (const [name, documented] of Object.entries(headers)) {
    const header = '$ref' in documented ? DOCUMENT.components.headers[documented.$ref.split('/').pop()!] : documented;
    const value = response.headers[name.toLowerCase()];
    if (value === undefined) {
      if (header.required) fail(`${where} without the ${name} header the document requires`);
      continue;
    }
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    const typed = header.schema.type === 'integer' ? Number(text) : text;
    const validate = validatorFor(header.schema);
    if (!validate(typed)) fail(`${where} with ${name}: ${text}, which does not match the document: ${ajv.errorsText(validate.errors)}`);
  }
}

function fail(message: string): never {
  throw new Error(`Response not as openapi.json documents it: ${message}`);
}
