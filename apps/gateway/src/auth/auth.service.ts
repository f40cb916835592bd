import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '#libs/config/src/index.js';
import { conflict, unauthorized } from '#libs/contracts/src/index.js';
import { hashPassword, verifyPassword } from '#libs/auth/src/index.js';
import {
  type Account,
  ACCOUNTS_REPOSITORY,
  type AccountsRepository,
  EmailTakenError,
} from '../accounts/accounts.repository.js';
import type { AccountDto, LoginDto, RegisterDto, TokenDto } from './auth.dto.js';

export interface TokenClaims {
  sub: string;
  adm: boolean;
}

/** Verifying against this when the email is unknown keeps login time from revealing accounts. */
const DUMMY_HASH = hashPassword('not-a-real-password-but-same-cost');

@Injectable()
export class AuthService {
  constructor(
    @Inject(ACCOUNTS_REPOSITORY) private readonly accounts: AccountsRepository,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async register(input: RegisterDto): Promise<AccountDto> {
    const passwordHash = await hashPassword(input.password);
    try {
      const account = await this.accounts.create({ email: input.email, displayName: input.displayName, passwordHash });
      return toAccountDto(account);
    } catch (error) {
      if (error instanceof EmailTakenError) throw conflict(error.message, { field: 'email' });
      throw error;
    }
  }

  async login(input: LoginDto): Promise<TokenDto> {
    const account = await this.accounts.findByEmail(input.email);
    const ok = await verifyPassword(input.password, account?.passwordHash ?? (await DUMMY_HASH));
    if (!account || !ok) throw unauthorized('Email or password is wrong');
    const claims: TokenClaims = { sub: account.id, adm: account.platformAdmin };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.jwtTtlSeconds });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.jwtTtlSeconds };
  }

  async me(accountId: string): Promise<AccountDto> {
    const account = await this.accounts.findById(accountId);
    if (!account) throw unauthorized('This account no longer exists');
    return toAccountDto(account);
  }
}

export function toAccountDto(a: Account): AccountDto {
  return {
    id: a.id,
    email: a.email,
    displayName: a.displayName,
    platformAdmin: a.platformAdmin,
    createdAt: a.createdAt.toISOString(),
  };
}
