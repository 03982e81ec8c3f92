import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { toResponse } from '../common/http/response';
import { CurrentPrincipal } from '../security/current-principal.decorator';
import { Principal } from '../security/principal';
import { requireUser, requireUserToken } from '../security/require-user';
import { UpdateMeDto } from './dto/update-me.dto';
import { UserResponse } from './user.response';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @ApiOkResponse({ type: UserResponse })
  async me(@CurrentPrincipal() principal: Principal): Promise<UserResponse> {
    return toResponse(UserResponse, await this.users.get(requireUser(principal)));
  }

  @Patch('me')
  @ApiOkResponse({ type: UserResponse })
  async updateMe(@CurrentPrincipal() principal: Principal, @Body() body: UpdateMeDto): Promise<UserResponse> {
    return toResponse(UserResponse, await this.users.updateProfile(requireUserToken(principal).userId, body));
  }
}
