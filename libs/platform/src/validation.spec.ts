import { describe, expect, it } from '@jest/globals';
import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { DomainError } from '#libs/contracts/src/index.js';
import { createValidationPipe } from './validation.js';

class Step {
  @IsString() process: string;
  @IsInt() @Min(0) minutes: number;
}

class Body {
  @IsString() title: string;
  @ValidateNested({ each: true }) @Type(() => Step) steps: Step[];
}

describe('validation', () => {
  const pipe = createValidationPipe();
  const run = (value: unknown) => pipe.transform(value, { type: 'body', metatype: Body });

  it('passes and converts a valid body', async () => {
    const out = (await run({ title: 'Bracket', steps: [{ process: 'cnc-milling', minutes: 20 }] })) as Body;
    expect(out).toBeInstanceOf(Body);
    expect(out.steps[0]).toBeInstanceOf(Step);
  });

  it('names nested fields with dotted paths and refuses unknown fields', async () => {
    let caught: unknown;
    try {
      await run({ title: 3, steps: [{ process: 'x', minutes: -1 }], colour: 'red' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    const e = caught as DomainError;
    expect(e.status).toBe(400);
    const fields = (e.extensions.errors as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(['colour', 'steps.0.minutes', 'title']);
  });
});
