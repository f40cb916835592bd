import pg from 'pg';
import { loadConfig } from '#libs/config/src/index.js';
import { type Command, UsageError } from './command.js';

export const grantAdminCommand: Command = {
  name: 'grant-admin',
  usage: 'grant-admin <email>',
  summary: 'make an existing account a platform admin (takes effect at its next login)',
  async run([email]) {
    if (!email) throw new UsageError();
    const config = loadConfig();
    const client = new pg.Client({ connectionString: config.databaseUrl });
    await client.connect();
    try {
      const result = await client.query('UPDATE gateway.accounts SET platform_admin = true WHERE email = $1', [
        email.trim().toLowerCase(),
      ]);
      if (!result.rowCount) {
        console.error(`no account with email ${email}`);
        return 1;
      }
      console.log(`${email} is now a platform admin`);
      return 0;
    } finally {
      await client.end();
    }
  },
};
