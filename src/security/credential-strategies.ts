import type { FactoryProvider, Type } from '@nestjs/common';
import type { Strategy } from 'passport';

/**
 * Injection token of the passport strategies the AuthenticationGuard tries, in order, on each request:
 * the first that accepts the credential wins. Each lives in its feature folder, which provides and
 * exports it; AppModule lists them with credentialStrategies(), the one line that registers a new one
 * (docs/design.md, Layers). security/ never imports a strategy.
 */
export const CREDENTIAL_STRATEGIES = Symbol('CREDENTIAL_STRATEGIES');

/** A strategy passport knows by name: the name is how the guard asks passport to try it. */
export type CredentialStrategy = Strategy & { name: string };

/** The provider of CREDENTIAL_STRATEGIES: these strategy classes, tried in the order given. */
export function credentialStrategies(...strategies: Type<CredentialStrategy>[]): FactoryProvider<readonly CredentialStrategy[]> {
  return { provide: CREDENTIAL_STRATEGIES, inject: strategies, useFactory: (...instances: CredentialStrategy[]) => instances };
}
