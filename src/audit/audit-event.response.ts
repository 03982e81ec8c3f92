import { ApiProperty } from '@nestjs/swagger';
import { Expose } from 'class-transformer';

export class AuditEventResponse {
  @ApiProperty({ format: 'uuid' }) @Expose() id: string;
  @ApiProperty() @Expose() at: Date;
  @ApiProperty({ enum: ['user', 'client', 'anonymous', 'system'] }) @Expose() actorType: string;
  @ApiProperty({ nullable: true, type: String }) @Expose() actorId: string | null;
  @ApiProperty() @Expose() action: string;
  @ApiProperty({ nullable: true, type: String }) @Expose() targetType: string | null;
  @ApiProperty({ nullable: true, type: String }) @Expose() targetId: string | null;
  @ApiProperty({ enum: ['success', 'failure'] }) @Expose() outcome: string;
  @ApiProperty({ nullable: true, type: String }) @Expose() ip: string | null;
  @ApiProperty({ nullable: true, type: String }) @Expose() requestId: string | null;
}
