/**
 * Setup the production e2e specs share: the system against neighbour stubs, the people they
 * sign up, the BullMQ queues they watch and the direct requests they post. Plain functions over
 * what the spec passes in; the spec keeps its own variables and closes what it opened.
 */
import { randomUUID } from 'node:crypto';
import { expect } from '@jest/globals';
import type { INestMicroservice } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { AppConfig } from '#libs/config/src/index.js';
import { QUEUES } from '#libs/contracts/src/index.js';
import { bullConnectionOptions, bullPrefix } from '#libs/outbox/src/index.js';
import { type NeighbourState, startNeighbourStubs } from '#apps/production/src/testing/neighbour-stubs.js';
import { startTestSystem, type TestSystem } from './test-system.js';

export type Person = Awaited<ReturnType<TestSystem['signUp']>>;

export const DAY = 86_400_000;

/** Every day 08:00–12:00 UTC: 240 machine minutes per machine per day. */
export const MORNINGS = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ open: '08:00', close: '12:00' }]]));

/** Midnight UTC `days` days after today's, in ms: the start of a whole UTC day the run's clock has not reached. */
export function utcMidnightIn(days: number): number {
  return Math.floor(Date.now() / DAY) * DAY + days * DAY;
}

export function daysFromNow(days: number): string {
  return new Date(Date.now() + days * DAY).toISOString();
}

/**
 * Gateway and production for real; commons and fabrication answered from `state` by stubs on
 * the run's transport. A system whose stubs fail to start is closed, since the caller never
 * gets it to close.
 */
export async function startWithNeighbourStubs(state: NeighbourState, config?: Partial<AppConfig>): Promise<{ t: TestSystem; stubs: INestMicroservice }> {
  const t = await startTestSystem({ services: ['gateway', 'production'], config });
  try {
    return { t, stubs: await startNeighbourStubs(t.config, state) };
  } catch (error) {
    await t.close();
    throw error;
  }
}

/** Closes queues before the stubs and the system they connect to; skips what a failed beforeAll never opened. */
export async function stopWithNeighbourStubs(t: TestSystem | undefined, stubs: INestMicroservice | undefined, queues: Queue[] = []): Promise<void> {
  await Promise.all(queues.map((q) => q.close()));
  await stubs?.close();
  await t?.close();
}

/** The requester, the operators of two units (`operator`, `otherOperator`) and a platform admin's token. */
export async function signUpRequesterOperatorsAdmin(t: TestSystem): Promise<{ requester: Person; operator: Person; otherOperator: Person; adminToken: string }> {
  const requester = await t.signUp('requester');
  const operator = await t.signUp('operator');
  const otherOperator = await t.signUp('other');
  const admin = await t.signUp('admin');
  return { requester, operator, otherOperator, adminToken: await t.makePlatformAdmin(admin.email) };
}

/** The people of a council's round: its admin, a lab operator, a designer, a requester and `memberCount` voting members. */
export async function signUpRoundPeople(
  t: TestSystem,
  memberCount: number,
): Promise<{ admin: Person; operator: Person; designer: Person; requester: Person; members: Person[] }> {
  const admin = await t.signUp('council-admin');
  const operator = await t.signUp('lab-operator');
  const designer = await t.signUp('designer');
  const requester = await t.signUp('requester');
  const members: Person[] = [];
  for (let i = 0; i < memberCount; i++) members.push(await t.signUp(`member${i}`));
  return { admin, operator, designer, requester, members };
}

/** Issues an API key for `unit` as `token`'s person (one of its operators, or an admin) and returns the secret. */
export async function issueApiKey(t: TestSystem, unit: { id: string }, token: string, name: string): Promise<string> {
  const answer = await t.http.post(`/fab-units/${unit.id}/api-keys`, { name }, { token });
  if (answer.status !== 201) throw new Error(`issuing an API key failed: ${answer.status} ${answer.text}`);
  return answer.body.key as string;
}

export function bullOptions(t: TestSystem) {
  return { connection: bullConnectionOptions(t.config.redisUrl), prefix: bullPrefix(t.config.namespace) };
}

/** Opens a queue of the run's namespace; with `opened`, adds it there for the spec's afterAll to close. */
export function openQueue(t: TestSystem, name: string, opened?: Queue[]): Queue {
  const queue = new Queue(name, bullOptions(t));
  opened?.push(queue);
  return queue;
}

/** The queue production sends `unit`'s jobs to. */
export function openFabQueue(t: TestSystem, unit: { id: string }, opened?: Queue[]): Queue {
  return openQueue(t, QUEUES.fabUnit(unit.id), opened);
}

export interface DirectRequestView {
  id: string;
  state: string;
  jobs: { id: string; state: string; fabUnitId: string }[];
}

/**
 * Posts a direct production request (`mode: 'direct'`, straight to `unit`) as `token`'s person
 * under a fresh idempotency key and expects it created. `body` needs the design version and may
 * replace any default.
 */
export async function requestDirect(
  t: TestSystem,
  token: string,
  unit: { id: string },
  body: { designVersionId: string } & Record<string, unknown>,
): Promise<DirectRequestView> {
  const answer = await t.http.post(
    '/production-requests',
    {
      quantity: 1,
      delivery: { lat: 50.85, lon: 4.35 },
      needBy: daysFromNow(30),
      purpose: 'Brackets for the tool library',
      mode: 'direct',
      fabUnitId: unit.id,
      ...body,
    },
    { token, headers: { 'idempotency-key': randomUUID() } },
  );
  expect(answer.status).toBe(201);
  return answer.body as DirectRequestView;
}
