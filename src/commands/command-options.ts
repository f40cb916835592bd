import { parseArgs } from 'node:util';
import { UsageError } from './command.js';

type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;

/**
 * A command's `--name value` / `--name=value` / `--flag` options and its positionals, by
 * node:util's parseArgs (strict: an unknown option or a missing value is a usage error, said
 * in one line), so each command states what it takes instead of walking argv by hand.
 */
export function commandOptions<const O extends OptionSpec>(args: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    // parseArgs appends advice about `--` and positionals that does not fit a CLI of ours.
    // (Read as a plain property: under Jest's VM the error comes from another realm's TypeError.)
    const text = String((error as { message?: unknown }).message ?? error);
    throw new UsageError(text.split('. ')[0]!.replace(/^Option '(--[\w-]+)[^']*' argument missing$/, '$1 needs a value'));
  }
}

/** A whole number option within bounds, or a usage error naming it. */
export function wholeNumber(name: string, value: string | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}`);
  return n;
}
