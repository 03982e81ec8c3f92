import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify';
import sjson from 'secure-json-parse';
import { bodyText } from './body-text';
import { checkJsonStructure } from './json-structure';
import { ProblemException } from './problem.exception';

type ParserDone = (error: Error | null, value?: unknown) => void;

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Set with `@RouteConfig()`: the route may also read an HTML form body
     * (`application/x-www-form-urlencoded`). Only the OAuth token endpoint needs it: RFC 6749 §4.4.2
     * defines its request as a form.
     */
    acceptsFormBody?: boolean;
  }
}

/**
 * Replaces Fastify's JSON parser with one that reads a body in exactly one way (see bodyText and
 * checkJsonStructure) and also refuses what must never reach the domain: `__proto__` /
 * `constructor.prototype` keys (prototype pollution), and U+0000 in any string (Postgres text
 * cannot store it, and it has no business in an API).
 */
export function registerJsonBodyParser(fastify: FastifyInstance): void {
  // JSON is the only body this API reads (Fastify also parses text/plain): anything else is 415,
  // and so is a form body sent to any route whose config does not set acceptsFormBody.
  fastify.removeAllContentTypeParsers();
  // As bytes, not Fastify's string: bodyText decides how they become text.
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request: FastifyRequest, body: string | Buffer, done: ParserDone) => {
    done(null, parseJsonBody(bodyText(request, body as Buffer)));
  });
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer' },
    (request: FastifyRequest, body: string | Buffer, done: ParserDone) => {
      // Routing has already happened, so the route's own config says whether it takes a form.
      if (request.routeOptions.config.acceptsFormBody !== true) return done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE());
      done(null, parseFormBody(bodyText(request, body as Buffer)));
    },
  );
}

/**
 * A form body as an object: a field sent twice becomes an array, for the route to refuse (RFC 6749
 * §3.2: parameters MUST NOT be repeated). Object.fromEntries defines each field as an own
 * property, so a field named `__proto__` is just a field and never reaches a prototype.
 */
export function parseFormBody(text: string): Record<string, string | string[]> {
  const fields = new Map<string, string | string[]>();
  for (const [name, value] of new URLSearchParams(text)) {
    const earlier = fields.get(name);
    fields.set(name, earlier === undefined ? value : [earlier, value].flat());
  }
  const form = Object.fromEntries(fields);
  if (containsNul(form)) throw new ProblemException(400, 'Strings may not contain U+0000');
  return form;
}

export function parseJsonBody(text: string): unknown {
  checkJsonStructure(text);
  let value: unknown;
  try {
    value = sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    const poisoned = error instanceof SyntaxError && /prototype/.test(error.message);
    throw new ProblemException(400, poisoned ? 'Request body contains a forbidden key' : 'Request body is not valid JSON');
  }
  if (containsNul(value)) throw new ProblemException(400, 'Strings may not contain U+0000');
  return value;
}

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (value === null || typeof value !== 'object') return false;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000') || containsNul(item)) return true;
  }
  return false;
}
