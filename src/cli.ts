import 'reflect-metadata';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { ConfigError, loadConfig } from '#libs/config/src/index.js';
import { ensureLocalServices } from './local-services.js';
import { parseServiceList, prepareDatabase } from './system.js';

/**
 * `npm run cli -- <command>`: the operator's tools that need no running system.
 * Each command is a function taking its arguments and returning an exit code.
 */
type Command = { summary: string; usage: string; run(args: string[]): Promise<number> };

const commands: Record<string, Command> = {
  migrate: {
    summary: 'create the database if needed and run every pending migration',
    usage: 'migrate [service ...]',
    async run(args) {
      const config = loadConfig();
      await ensureLocalServices(config, (line) => console.log(line));
      const applied = await prepareDatabase(config, parseServiceList(args));
      for (const [service, names] of Object.entries(applied)) {
        console.log(`${service}: ${names.length ? names.join(', ') : 'up to date'}`);
      }
      return 0;
    },
  },
  'grant-admin': {
    summary: 'make an existing account a platform admin (takes effect at its next login)',
    usage: 'grant-admin <email>',
    async run([email]) {
      if (!email) return usage('grant-admin');
      const config = loadConfig();
      const client = new pg.Client({ connectionString: config.databaseUrl });
      await client.connect();
      try {
        const result = await client.query('UPDATE gateway.accounts SET platform_admin = true WHERE email = $1', [email.trim().toLowerCase()]);
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
  },
};

function usage(name?: string): number {
  if (name && commands[name]) {
    console.error(`usage: npm run cli -- ${commands[name].usage}`);
    return 2;
  }
  console.error('usage: npm run cli -- <command> [args]\n\ncommands:');
  for (const [key, c] of Object.entries(commands)) console.error(`  ${c.usage.padEnd(40)} ${c.summary}`);
  return 2;
}

export function registerCommand(name: string, command: Command): void {
  commands[name] = command;
}

async function main(argv: string[]): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) return usage();
  return command.run(args);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(`cosmolocal: configuration error: ${error.message}`);
    else console.error(`cosmolocal: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
