import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/internal';
import { ModulesContainer } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { API_PREFIX, OUTSIDE_API_PREFIX } from '../../src/app.factory';

export interface RouteEntry {
  method: string;
  /** The full path as a client calls it, with `:params`. */
  path: string;
  controller: Function;
  handler: Function;
}

/** Every route the application registered, read from Nest's own metadata (no list kept by hand). */
export function listRoutes(app: NestFastifyApplication): RouteEntry[] {
  const routes: RouteEntry[] = [];
  const wrappers = [...app.get(ModulesContainer).values()].flatMap((module) => [...module.controllers.values()]);
  for (const wrapper of wrappers) {
    const controller = wrapper.metatype as Function | undefined;
    if (!controller) continue;
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = controller.prototype[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      const own = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (method === undefined || own === undefined) continue;
      const joined = `/${[base, own]
        .map((part) => part.replace(/^\/|\/$/g, ''))
        .filter(Boolean)
        .join('/')}`;
      // The app's own exclusion list, so a new route next to /health/live still gets the prefix here as it does there.
      const outside = OUTSIDE_API_PREFIX.some((route) => `/${route.path}` === joined && route.method === method);
      const prefixed = outside ? joined : `/${API_PREFIX}${joined}`;
      routes.push({ method: RequestMethod[method], path: prefixed, controller, handler });
    }
  }
  return routes;
}

/** Whether the route's handler takes a `@Body()` (a route that takes none never reads a body). */
export function readsBody(route: RouteEntry): boolean {
  const args: Record<string, unknown> = Reflect.getMetadata(ROUTE_ARGS_METADATA, route.controller, route.handler.name) ?? {};
  return Object.keys(args).some((key) => key.startsWith(`${RouteParamtypes.BODY}:`));
}

/**
 * A route of a page for a browser, not an API operation (@ApiExcludeController: the sign-in and consent pages of
 * /oauth/authorize, the development mailbox): it answers HTML, errors included, and takes HTML forms.
 */
export function isPage(route: RouteEntry): boolean {
  return (Reflect.getMetadata('swagger/apiExcludeController', route.controller) as unknown[] | undefined)?.[0] === true;
}

/**
 * An endpoint an OAuth client authenticates at (token, RFC 7009 revocation, RFC 7662 introspection): it ignores
 * parameters it does not know (RFC 6749 §3.2), and answers every error in RFC 6749 §5.2's shape, not as a problem.
 */
export function isOAuthClientEndpoint(route: Pick<RouteEntry, 'path'>): boolean {
  return /\/api\/v1\/oauth\/(token|revoke|introspect)$/.test(route.path);
}
