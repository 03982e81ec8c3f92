import type { FastifyInstance, FastifyRequest } from 'fastify';
import sjson from 'secure-json-parse';
import { ProblemException } from './problem.exception';

/**
 * Replaces Fastify's JSON parser with one that also refuses what must never reach the domain:
 * `__proto__` / `constructor.prototype` keys (prototype pollution), and U+0000 in any string
 * (Postgres text cannot store it, and it has no business in an API).
 */
export function registerJsonBodyParser(fastify: FastifyInstance): void {
  // JSON is the only body this API reads; anything else (Fastify also parses text/plain) is 415.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (_request: FastifyRequest, body: string | Buffer, done: (error: Error | null, value?: unknown) => void) => {
      done(null, parseJsonBody(body.toString()));
    },
  );
}

export function parseJsonBody(text: string): unknown {
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
