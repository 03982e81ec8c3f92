import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-jwt';
import { AppConfig } from '../config/app-config';
import { Principal } from '../security/principal';
import { bearerToken } from '../security/credentials';
import { readAccessToken } from './access-token-claims';
import { KeyRing } from './key-ring';
import { Revocations } from './revocation/revocations';
import { ACCESS_TOKEN_ALGORITHM, CLOCK_TOLERANCE_SECONDS, TOKEN_AUDIENCE } from './token.constants';

type KeyCallback = (error: Error | null, key?: string | Buffer) => void;

/**
 * Verifies user access tokens, in this order: the header (before any crypto), the RS256 signature
 * with the key its `kid` names in our key ring, `iss`, `aud`, `exp`, `nbf`, then the claims and
 * finally revocation (the only step that leaves the process, so only well-formed tokens reach it).
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    keys: KeyRing,
    config: AppConfig,
    private readonly revocations: Revocations,
  ) {
    super({
      jwtFromRequest: bearerToken,
      // Pinned: jsonwebtoken refuses `none`, HS256 and every other algorithm (RFC 8725 §3.1).
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      issuer: config.publicUrl,
      audience: TOKEN_AUDIENCE,
      jsonWebTokenOptions: { clockTolerance: CLOCK_TOLERANCE_SECONDS },
      secretOrKeyProvider: (_request: unknown, token: string, done: KeyCallback) => {
        keys.verificationKeyFor(token).then((key) => {
          // passport-jwt's types say string | Buffer, but it hands the key to jsonwebtoken, which takes
          // the KeyObject parsed at boot (no key parsing per request).
          if (key) done(null, key as unknown as Buffer);
          else done(new Error('Token header is not one we issue'));
        }, done);
      },
    });
  }

  /** Returning false refuses the token: passport then tries the next strategy, or the guard answers 401. */
  async validate(payload: unknown): Promise<Principal | false> {
    // The system clock, not the injected Clock: jsonwebtoken has just checked exp and nbf against it
    // (passport-jwt fixes its options at construction), and one verification must not mix two clocks.
    const token = readAccessToken(payload, Math.floor(Date.now() / 1000));
    if (!token || (await this.revocations.isRevoked(token.revocationRef))) return false;
    return token.principal;
  }
}
