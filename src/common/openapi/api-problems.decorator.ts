import { SetMetadata } from '@nestjs/common';

/** An error status a route (or every route of a controller) can answer with, and why. */
export interface DocumentedProblem {
  status: number;
  description: string;
}

export const API_PROBLEMS = 'openapi:problems';
export const API_OAUTH_ERRORS = 'openapi:oauthErrors';
export const API_PROBE = 'openapi:probe';

/**
 * Documents one error answer of a route: `@ApiProblem(409, 'An account with this email exists')`.
 * The response object (problem details body, headers) is written by the document builder, the same
 * for every route, so a route only says which statuses it adds to the ones every route has.
 * Several on one route (or its class) add up; they never replace each other.
 */
export function ApiProblem(status: number, description: string): MethodDecorator & ClassDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder: object = descriptor ? (descriptor.value as object) : target;
    const earlier = (Reflect.getMetadata(API_PROBLEMS, holder) as DocumentedProblem[] | undefined) ?? [];
    Reflect.defineMetadata(API_PROBLEMS, [...earlier, { status, description }], holder);
  };
}

/** The route answers every error in RFC 6749 §5.2's shape, not as problem details (the token endpoint). */
export const ApiOAuthErrors = (): MethodDecorator & ClassDecorator => SetMetadata(API_OAUTH_ERRORS, true);

/**
 * A probe for an orchestrator (health): not rate limited, exempt from the HTTPS rule, and answering
 * no error beyond the ones it documents itself.
 */
export const ApiProbe = (): MethodDecorator & ClassDecorator => SetMetadata(API_PROBE, true);
