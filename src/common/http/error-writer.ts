/** The headers and body a route writes for an error, in place of a problem details body. */
export interface WrittenError {
  headers: Record<string, string>;
  body: unknown;
}

/**
 * How a route whose clients expect another error shape writes its errors (the token endpoint: RFC 6749
 * §5.2, src/oauth/oauth-error.ts). It gets what the ProblemFilter made of the error: the error it answers,
 * its status and, below 500, its detail; the status and a ProblemException's headers stay the filter's.
 */
export type ErrorWriter = (error: unknown, status: number, detail: string | undefined) => WrittenError;

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Set with `@RouteConfig()`: every error of the route is written by this function, not as problem
     * details. The global ProblemFilter reads it, so it also covers what the handler never sees: a body
     * Fastify refused before the handler ran (413, 415, malformed JSON), a rate limit, a 405.
     */
    errorWriter?: ErrorWriter;
  }
}
