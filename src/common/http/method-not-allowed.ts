import type { FastifyInstance, HTTPMethods } from 'fastify';
import { ProblemException } from './problem.exception';

/** The methods an API client sends. OPTIONS stays with CORS (its preflight route answers it for every path). */
const METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * RFC 9110 §15.5.6: a method the target resource does not support is `405` with an `Allow` header
 * listing those it does, not the `404` Fastify's router gives any unmatched method. Call it before
 * the routes are added: it notes each path's methods as they are. The function it returns adds, for
 * each path, one route taking every other method, answered with that problem; call it once all the
 * application's routes are there and before the server is ready. The router itself then tells a
 * wrong method from a wrong path, whatever the path's parameters.
 */
export function methodNotAllowedRoutes(fastify: FastifyInstance): () => void {
  const paths = new Map<string, { methods: Set<string>; config: object }>();
  fastify.addHook('onRoute', (route) => {
    const path = paths.get(route.url) ?? { methods: new Set<string>(), config: {} };
    for (const method of [route.method].flat()) path.methods.add(method);
    // Fastify answers HEAD for every GET route (exposeHeadRoutes), after this hook has run.
    if (path.methods.has('GET')) path.methods.add('HEAD');
    // The path's marks carry over, e.g. errorWriter: the token endpoint's 405 is in RFC 6749's shape too.
    Object.assign(path.config, route.config);
    paths.set(route.url, path);
  });
  return () => {
    for (const [url, { methods, config }] of paths) {
      const others = METHODS.filter((method) => !methods.has(method));
      // A wildcard route (CORS preflight) takes any path: it is not one resource.
      if (url.includes('*') || others.length === 0) continue;
      const allow = METHODS.filter((method) => methods.has(method)).join(', ');
      fastify.route({
        method: others,
        url,
        config,
        handler: async (request) => {
          throw new ProblemException(405, `${request.method} is not allowed here; Allow lists the methods that are`, { Allow: allow });
        },
      });
    }
  };
}
