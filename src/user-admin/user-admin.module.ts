import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { UsersModule } from '../users/users.module';
import { UserAdminController } from './user-admin.controller';
import { UserAdminService } from './user-admin.service';

/** Admin routes over users; separate from UsersModule because suspension needs the auth sessions, and revoking a key the API keys. */
@Module({
  imports: [UsersModule, AuthModule, ApiKeysModule, AuditModule],
  controllers: [UserAdminController],
  providers: [UserAdminService],
})
export class UserAdminModule {}
