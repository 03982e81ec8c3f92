import { ApiProperty } from '@nestjs/swagger';
import { Expose } from 'class-transformer';
import { EMAIL_PROPERTY } from './dto/user-fields';
import type { UserRole } from '../security/roles';

/** A user as the user sees themselves (docs/http-contract.md, Users): these five fields and nothing else, ever. */
export class UserResponse {
  @ApiProperty({ format: 'uuid' }) @Expose() id: string;
  @ApiProperty(EMAIL_PROPERTY) @Expose() email: string;
  @ApiProperty({ maxLength: 100 }) @Expose() name: string;
  @ApiProperty({ enum: ['customer', 'admin'] }) @Expose() role: UserRole;
  @ApiProperty() @Expose() createdAt: Date;
}
