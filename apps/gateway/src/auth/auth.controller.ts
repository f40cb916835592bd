import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Public } from '#libs/auth/src/index.js';
import { type Actor, forbidden } from '#libs/contracts/src/index.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { RateLimit } from '../http/rate-limit.guard.js';
import { AccountDto, LoginDto, RegisterDto, TokenDto } from './auth.dto.js';
import { AuthService } from './auth.service.js';

@ApiTags('accounts')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('auth/register')
  @Public()
  @RateLimit('auth')
  @ApiOperation({ summary: 'Create an account' })
  @ApiProblems(400, 409, 429)
  register(@Body() body: RegisterDto): Promise<AccountDto> {
    return this.auth.register(body);
  }

  @Post('auth/login')
  @Public()
  @HttpCode(200)
  @RateLimit('auth')
  @ApiOperation({ summary: 'Exchange email and password for a bearer token' })
  @ApiProblems(400, 401, 429)
  login(@Body() body: LoginDto): Promise<TokenDto> {
    return this.auth.login(body);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in account' })
  @ApiProblems(401, 403)
  me(@CurrentActor() actor: Actor): Promise<AccountDto> {
    if (actor.kind !== 'person') throw forbidden('API keys act for a fab unit, not an account');
    return this.auth.me(actor.accountId);
  }
}
