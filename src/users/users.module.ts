import { Module } from '@nestjs/common';
import { DemoAccountsSeeder } from './demo-accounts.seeder';
import { PasswordHasher } from './password-hasher';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  controllers: [UsersController],
  providers: [UsersRepository, UsersService, PasswordHasher, DemoAccountsSeeder],
  // UsersRepository: the one owner of the users table, for the features that change a user (auth, admin, API keys).
  exports: [UsersRepository, UsersService, PasswordHasher],
})
export class UsersModule {}
