import type { ExecutionContext, Type } from '@nestjs/common';

/** What a route's metadata is read from: its handler first, then its controller (docs/design.md, pattern 1). */
export type RouteTargets = [handler: ReturnType<ExecutionContext['getHandler']>, controller: Type];

/**
 * Something a guard derives from a route's metadata, read once per route instead of on every request:
 * decorators set the metadata when the classes are defined, and nothing changes it afterwards. Keyed by the
 * handler and then its controller, since a handler inherited from a base class serves several controllers.
 */
export class PerRoute<T> {
  private readonly values = new WeakMap<RouteTargets[0], Map<Type, T>>();

  constructor(private readonly read: (targets: RouteTargets) => T) {}

  of(context: ExecutionContext): T {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byController = this.values.get(handler);
    if (!byController) {
      byController = new Map<Type, T>();
      this.values.set(handler, byController);
    }
    if (!byController.has(controller)) byController.set(controller, this.read([handler, controller]));
    return byController.get(controller)!;
  }
}
