import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { ConfigError } from '#libs/config/src/index.js';
import { UsageError } from './commands/command.js';
import { COMMANDS } from './commands/index.js';

/** `npm run cli -- <command> [args]`: operator tools (import, tally, demo, migrate …). */
async function main(argv: string[]): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const command = COMMANDS.filter((c) => c.name.split(' ').every((word, i) => argv[i] === word)).sort(
    (a, b) => b.name.split(' ').length - a.name.split(' ').length,
  )[0];
  const name = argv[0];
  const args = command ? argv.slice(command.name.split(' ').length) : [];
  if (!command) {
    console.error('usage: npm run cli -- <command> [args]\n\ncommands:');
    for (const c of COMMANDS) console.error(`  ${c.usage.padEnd(48)} ${c.summary}`);
    return name ? 2 : 0;
  }
  try {
    return await command.run(args);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`usage: npm run cli -- ${command.usage}${error.message ? `\n${error.message}` : ''}`);
      return 2;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(`cosmolocal: configuration error: ${error.message}`);
    else console.error(`cosmolocal: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
