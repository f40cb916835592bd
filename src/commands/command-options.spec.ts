import { UsageError } from './command.js';
import { commandOptions, wholeNumber } from './command-options.js';

describe('commandOptions', () => {
  const spec = { scale: { type: 'string' }, json: { type: 'boolean' } } as const;

  it('reads --name value, --name=value, flags and positionals', () => {
    expect(commandOptions(['f.pb', '--scale', '2', '--json'], spec, true)).toEqual({ values: { scale: '2', json: true }, positionals: ['f.pb'] });
    expect(commandOptions(['--scale=3'], spec).values).toEqual({ scale: '3' });
  });

  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--scale'], '--scale needs a value'],
    [['f.pb'], "Unexpected argument 'f.pb'"],
  ])('turns %j into a one-line usage error', (args, message) => {
    let caught: unknown;
    try {
      commandOptions(args, spec);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as Error).message).toBe(message);
  });
});

describe('wholeNumber', () => {
  it('takes the fallback when absent and checks the bounds otherwise', () => {
    expect(wholeNumber('--seed', undefined, 0, 9, 1)).toBe(1);
    expect(wholeNumber('--seed', '9', 0, 9, 1)).toBe(9);
    expect(() => wholeNumber('--seed', '10', 0, 9, 1)).toThrow('--seed must be a whole number from 0 to 9');
    expect(() => wholeNumber('--seed', '1.5', 0, 9, 1)).toThrow(UsageError);
  });
});
