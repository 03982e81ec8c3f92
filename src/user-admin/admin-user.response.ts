import { ApiProperty } from '@nestjs/swagger';
import { Expose } from 'class-transformer';
import type { UserStatus } from '../users/user.entity';
import { UserResponse } from '../users/user.response';

/**
 * What an admin sees of a user: the user view plus status and last login. Still nothing internal
 * (no hash, counters, token marks or notes): admin views are whitelists too (OWASP API3).
 */
export class AdminUserResponse extends UserResponse {
  @ApiProperty({ enum: ['active', 'suspended'] }) @Expose() status: UserStatus;
  @ApiProperty({ nullable: true, type: Date }) @Expose() lastLoginAt: Date | null;
}
