import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify';
import sjson from 'secure-json-parse';
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
 * Replaces Fastify's JSON parser with one that also refuses what must never reach the domain:
 * `__proto__` / `constructor.prototype` keys (prototype pollution), and U+0000 in any string
 * (Postgres text cannot store it, and it has no business in an API).
 */
export function registerJsonBodyParser(fastify: FastifyInstance): void {
  // JSON is the only body this API reads (Fastify also parses text/plain): anything else is 415,
  // and so is a form body sent to any route whose config does not set acceptsFormBody.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (_request: FastifyRequest, body: string | Buffer, done: ParserDone) => {
    done(null, parseJsonBody(body.toString()));
  });
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (request: FastifyRequest, body: string | Buffer, done: ParserDone) => {
    // Routing has already happened, so the route's own config says whether it takes a form.
    if (request.routeOptions.config.acceptsFormBody !== true) return done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE());
    done(null, parseFormBody(body.toString()));
  });
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

/**
 * Far deeper than any body of this API (`POST /orders` is 3 levels), far shallower than what runs
 * the server out of stack: validation and transformation walk a body recursively, and a 4 KB body
 * nested 1 000 levels deep overflowed it (a 500, on public routes too; found by fuzzing).
 */
const MAX_JSON_DEPTH = 32;

export function parseJsonBody(text: string): unknown {
  // Checked on the text, before parsing builds anything, in one pass without recursion.
  if (nestingDepth(text) > MAX_JSON_DEPTH) throw new ProblemException(400, 'Request body is nested too deeply');
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

/** How deeply arrays and objects nest in a JSON text (brackets inside strings do not count). */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '[' || char === '{') deepest = Math.max(deepest, ++depth);
    else if (char === ']' || char === '}') depth--;
  }
  return deepest;
}

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (value === null || typeof value !== 'object') return false;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000') || containsNul(item)) return true;
  }
  return false;
}
