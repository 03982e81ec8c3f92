import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the demo lives: exactly /demo/, the redirect URI an admin registers for it (`${origin}/demo/`). */
const DEMO_ROOT = '/demo';
const DEMO_PATH = `${DEMO_ROOT}/`;

/** The demo's files, each with its content type (RFC 9239 for JavaScript): the browser runs nothing else (nosniff). */
const FILES = [
  { name: 'index.html', route: DEMO_PATH, type: 'text/html; charset=utf-8' },
  { name: 'app.js', route: `${DEMO_PATH}app.js`, type: 'text/javascript; charset=utf-8' },
  { name: 'style.css', route: `${DEMO_PATH}style.css`, type: 'text/css; charset=utf-8' },
  { name: 'favicon.svg', route: `${DEMO_PATH}favicon.svg`, type: 'image/svg+xml' },
];

/**
 * The demo storefront of demo/, a page that signs a user in with the authorization code flow and places orders
 * with the token it gets; outside production only. Plain Fastify routes, as SwaggerModule mounts /docs: they are
 * no API operation (absent from openapi.json) and get no API prefix. The files are read once, here, at boot.
 */
export function serveDemoStorefront(fastify: FastifyInstance): void {
  const folder = join(__dirname, '..', 'demo');
  for (const { name, route, type } of FILES) {
    const body = readFileSync(join(folder, name));
    fastify.get(route, (_request, reply) => reply.type(type).send(body));
  }
  // Without the slash the page's relative address would differ from its redirect URI; the query (?client_id=) stays.
  fastify.get(DEMO_ROOT, (request, reply) => reply.redirect(`${DEMO_PATH}${request.url.slice(DEMO_ROOT.length)}`, 301));
}
