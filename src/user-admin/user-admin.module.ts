import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { UserAdminController } from './user-admin.controller';
import { UserAdminService } from './user-admin.service';

/** Admin routes over users; separate from UsersModule because suspension needs the auth sessions. */
@Module({
  imports: [AuthModule, AuditModule],
  controllers: [UserAdminController],
  providers: [UserAdminService],
})
export class UserAdminModule {}
