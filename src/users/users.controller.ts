import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblem } from '../common/openapi/api-problems.decorator';
import { toResponse } from '../common/http/response';
import { CurrentPrincipal } from '../security/current-principal.decorator';
import { Principal } from '../security/principal';
import { requireAccountHolder, requireUserToken } from '../security/require-user';
import { UpdateMeDto } from './dto/update-me.dto';
import { UserResponse } from './user.response';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @ApiOperation({ summary: 'Your own account' })
  @ApiOkResponse({ type: UserResponse })
  @ApiProblem(403, 'Only users have an account: not a service client, nor an app acting for the user')
  async me(@CurrentPrincipal() principal: Principal): Promise<UserResponse> {
    return toResponse(UserResponse, await this.users.get(requireAccountHolder(principal)));
  }

  @Patch('me')
  @ApiOperation({ summary: 'Change your name' })
  @ApiOkResponse({ type: UserResponse })
  @ApiProblem(403, 'Needs a user access token')
  async updateMe(@CurrentPrincipal() principal: Principal, @Body() body: UpdateMeDto): Promise<UserResponse> {
    return toResponse(UserResponse, await this.users.updateProfile(requireUserToken(principal).userId, body));
  }
}
