import { describe, expect, it } from '@jest/globals';
import { BadRequestException, NotFoundException } from '@nestjs/common';
import { conflict } from '#libs/contracts/src/index.js';
import { toProblem } from './problem-details.filter.js';

describe('toProblem', () => {
  it('keeps a domain error as it is, with the instance', () => {
    expect(toProblem(conflict('already taken', { field: 'email' }), '/auth/register')).toEqual({
      type: 'https://cosmolocal.dev/problems/conflict',
      title: 'Conflict with the current state',
      status: 409,
      detail: 'already taken',
      instance: '/auth/register',
      field: 'email',
    });
  });

  it('maps Nest HTTP exceptions', () => {
    expect(toProblem(new NotFoundException('Cannot GET /x'), '/x')).toMatchObject({ status: 404, detail: 'No route GET /x' });
    expect(toProblem(new BadRequestException(['a', 'b']), '/y')).toMatchObject({ status: 400, detail: 'a; b' });
  });

  it('hides the details of unknown errors', () => {
    const p = toProblem(new Error('password=hunter2 in SQL'), '/z');
    expect(p.status).toBe(500);
    expect(JSON.stringify(p)).not.toContain('hunter2');
  });
});
