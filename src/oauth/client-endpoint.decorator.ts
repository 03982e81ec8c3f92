import { applyDecorators, Header } from '@nestjs/common';
import { ApiConsumes, ApiSecurity } from '@nestjs/swagger';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiOAuthErrors } from '../common/openapi/api-problems.decorator';
import { CLIENT_BASIC } from '../common/openapi/openapi';
import { Public } from '../security/public.decorator';
import { writeOAuthError } from './oauth-error';

/**
 * What the endpoints a client authenticates at have in common (token, RFC 7009 revocation, RFC 7662
 * introspection): public (the client proves itself in the request, not with a token), a form or JSON body,
 * errors in RFC 6749 §5.2's shape, and answers no cache keeps. `publicClients`: whether a public app may call it
 * with its client_id alone.
 */
export const ClientEndpoint = ({ publicClients }: { publicClients: boolean }): MethodDecorator =>
  applyDecorators(
    Public(),
    // Read by the body parser (a form body is allowed here) and by the ProblemFilter (errors in RFC 6749
    // §5.2's shape): see FastifyContextConfig. One object: a second @RouteConfig would replace the first.
    RouteConfig({ acceptsFormBody: true, errorWriter: writeOAuthError }),
    // RFC 6749 §5.1: a response holding a token is never stored by a cache (Pragma for HTTP/1.0 ones).
    Header('Cache-Control', 'no-store'),
    Header('Pragma', 'no-cache'),
    // RFC 6749 §2.3.1: HTTP Basic, or client_id and client_secret in the body, or a public app's client_id alone
    // (the empty requirement). applyDecorators applies them in this order: Basic first.
    ApiSecurity(CLIENT_BASIC),
    ...(publicClients ? [ApiSecurity({})] : []),
    ApiConsumes('application/x-www-form-urlencoded', 'application/json'),
    ApiOAuthErrors(),
  );
