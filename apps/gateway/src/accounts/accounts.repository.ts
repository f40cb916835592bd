export interface Account {
  id: string;
  email: string;
  displayName: string;
  passwordHash: string;
  platformAdmin: boolean;
  createdAt: Date;
}

export interface NewAccount {
  email: string;
  displayName: string;
  passwordHash: string;
}

/** Storage of accounts, as the auth use cases need it (no SQL in the rules). */
export interface AccountsRepository {
  /** Throws EmailTakenError when the address already has an account. */
  create(account: NewAccount): Promise<Account>;
  findByEmail(email: string): Promise<Account | null>;
  findById(id: string): Promise<Account | null>;
  setPlatformAdmin(email: string, admin: boolean): Promise<boolean>;
}

export const ACCOUNTS_REPOSITORY = Symbol('ACCOUNTS_REPOSITORY');

export class EmailTakenError extends Error {
  constructor(readonly email: string) {
    super(`An account with ${email} already exists`);
  }
}
