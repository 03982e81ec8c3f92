import { ApiProperty } from '@nestjs/swagger';
import { Expose } from 'class-transformer';
import type { UserRole } from './user.entity';

/** A user as the user sees themselves (API.md, Users): these five fields and nothing else, ever. */
export class UserResponse {
  @ApiProperty({ format: 'uuid' }) @Expose() id: string;
  @ApiProperty({ format: 'email', maxLength: 254 }) @Expose() email: string;
  @ApiProperty({ maxLength: 100 }) @Expose() name: string;
  @ApiProperty({ enum: ['customer', 'admin'] }) @Expose() role: UserRole;
  @ApiProperty() @Expose() createdAt: Date;
}
