import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { PG_UNIQUE_VIOLATION, pgCode } from '#libs/database/src/index.js';
import { AccountEntity } from './account.entity.js';
import { type Account, type AccountsRepository, EmailTakenError, type NewAccount } from './accounts.repository.js';

@Injectable()
export class TypeormAccountsRepository implements AccountsRepository {
  constructor(@InjectRepository(AccountEntity) private readonly accounts: Repository<AccountEntity>) {}

  async create(account: NewAccount): Promise<Account> {
    try {
      const rows = await this.accounts
        .createQueryBuilder()
        .insert()
        .values(account)
        .returning('*')
        .execute();
      return this.accounts.create(rows.generatedMaps[0] as AccountEntity) as Account & AccountEntity;
    } catch (error) {
      if (pgCode(error) === PG_UNIQUE_VIOLATION) throw new EmailTakenError(account.email);
      throw error;
    }
  }

  findByEmail(email: string): Promise<Account | null> {
    return this.accounts.findOneBy({ email });
  }

  findById(id: string): Promise<Account | null> {
    return this.accounts.findOneBy({ id });
  }

  async setPlatformAdmin(email: string, admin: boolean): Promise<boolean> {
    const result = await this.accounts.update({ email }, { platformAdmin: admin });
    return (result.affected ?? 0) > 0;
  }
}
