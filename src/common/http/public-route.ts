/**
 * The route metadata that `@Public()` (src/security/public.decorator.ts) sets. Its key lives in the kernel
 * because two layers read it: the authentication guard, which lets such a route through, and the OpenAPI
 * document, which then lists no security for it (src/common/openapi/openapi.ts).
 */
export const IS_PUBLIC = 'security:isPublic';
