import { ApiProperty } from '@nestjs/swagger';
import { Expose } from 'class-transformer';

/** One session as its user sees it (docs/http-contract.md, Sessions): no token, nothing of another session. */
export class SessionResponse {
  @ApiProperty({ format: 'uuid', description: 'Use it to end the session: DELETE /auth/sessions/{id}' }) @Expose() id: string;
  @ApiProperty({ description: 'When the session was opened (the sign-in)' }) @Expose() createdAt: Date;
  @ApiProperty({ description: 'When it last got tokens (the sign-in or its latest refresh)' }) @Expose() lastUsedAt: Date;
  @ApiProperty({ type: 'string', nullable: true, maxLength: 45, description: 'The client address it last got tokens from' }) @Expose() ip: string | null;
  @ApiProperty({ type: 'string', nullable: true, maxLength: 256, description: 'What the client called itself (User-Agent); not a proof' })
  @Expose()
  userAgent: string | null;
  @ApiProperty({ description: 'The session of the access token this request came with' }) @Expose() current: boolean;
}
