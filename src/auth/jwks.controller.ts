import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { toResponse } from '../common/http/response';
import { Public } from '../security/public.decorator';
import { JwksResponse } from './jwks.response';
import { KeyRing } from './key-ring';

/** The public keys that verify our access tokens, at the usual `/.well-known/` path (RFC 8615), outside /api/v1. */
@ApiTags('auth')
@Public()
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keyRing: KeyRing) {}

  @Get('jwks.json')
  @ApiOperation({ summary: 'The public keys that verify access tokens (RFC 7517)' })
  @ApiOkResponse({ type: JwksResponse })
  keys(): JwksResponse {
    // Read on every request, not cached: a key rotation replaces the key ring while the app runs.
    return toResponse(JwksResponse, this.keyRing.jwks);
  }
}
