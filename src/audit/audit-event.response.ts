import { ApiProperty } from '@nestjs/swagger';
import { Expose } from 'class-transformer';

export class AuditEventResponse {
  @ApiProperty({ format: 'uuid' }) @Expose() id: string;
  @ApiProperty() @Expose() at: Date;
  @ApiProperty({ enum: ['user', 'client', 'anonymous', 'system'] }) @Expose() actorType: string;
  @ApiProperty({ nullable: true, type: String, maxLength: 64 }) @Expose() actorId: string | null;
  @ApiProperty({ maxLength: 64, example: 'auth.login' }) @Expose() action: string;
  @ApiProperty({ nullable: true, type: String, maxLength: 32 }) @Expose() targetType: string | null;
  @ApiProperty({ nullable: true, type: String, maxLength: 64 }) @Expose() targetId: string | null;
  @ApiProperty({ enum: ['success', 'failure'] }) @Expose() outcome: string;
  @ApiProperty({ nullable: true, type: String, maxLength: 45 }) @Expose() ip: string | null;
  @ApiProperty({ nullable: true, type: String, maxLength: 128 }) @Expose() requestId: string | null;
}
