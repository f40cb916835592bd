import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestMicroservice } from '@nestjs/common';
import { Queue } from 'bullmq';
import { QUEUES, redisConnectionOptions } from '#libs/contracts/src/index.js';
import type { RequestForAllocation } from '#libs/contracts/src/production/index.js';
import { startTestSystem, type TestSystem } from '../../../../test/support/test-system.js';
import { newPeerState, type PeerState, startPeerStubs } from '../testing/peer-stubs.js';
import { digestOfExport, recomputeFromExport } from './round-tally.js';

/**
 * Allocation rounds end to end on real PostgreSQL and Redis. Fabrication and production are
 * replaced by transport stubs (testing/peer-stubs.ts) that answer the council's calls with
 * scripted pools and requests: exact capacities, requests in any state, outside the pool or
 * unpriceable, so every rule of the council is reached directly. The same flow against the real
 * services, down to production's jobs and reservations: rounds-production.e2e-spec.ts.
 */
describe('allocation rounds', () => {
  let t: TestSystem;
  let peers: INestMicroservice;
  const state: PeerState = newPeerState();
  type Person = { token: string; accountId: string; email: string };
  let admin: Person;
  let operator: Person;
  let outsider: Person;
  const members: Person[] = [];
  let councilId: string;
  const U1 = randomUUID();
  const U2 = randomUUID();
  const U3 = randomUUID();
  const R: Record<string, string> = {};

  const request = (key: string, over: Partial<RequestForAllocation>): void => {
    R[key] = randomUUID();
    state.requests.set(R[key]!, {
      id: R[key]!,
      requesterId: admin.accountId,
      designVersionId: randomUUID(),
      title: `Request ${key}`,
      quantity: 1,
      purpose: `purpose of ${key}`,
      needBy: day(90),
      state: 'submitted',
      fabUnitIds: [U1],
      costVector: { machineMinutes: {}, materials: {} },
      ...over,
    });
  };
  const count = async (sql: string, params: unknown[] = []) => Number((await t.sql<{ n: string }>(sql, params))[0]!.n);
  const future = (ms: number) => new Date(Date.now() + ms).toISOString();
  const DAY = 86_400_000;
  /** A UTC midnight `n` days from today (periods are set relative to now: a past one is refused). */
  const day = (n: number) => new Date((Math.floor(Date.now() / DAY) + n) * DAY).toISOString();

  beforeAll(async () => {
    t = await startTestSystem({ services: ['gateway', 'council'] });
    peers = await startPeerStubs(t.config, state);
    admin = await t.signUp('admin');
    operator = await t.signUp('operator');
    outsider = await t.signUp('outsider');
    for (let i = 0; i < 4; i++) members.push(await t.signUp(`member${i}`));
    state.units.set(U1, { id: U1, name: 'Fab Lab Kleve', status: 'Active', operators: [admin.accountId] });
    state.units.set(U2, { id: U2, name: 'Makerspace Goch', status: 'Active', operators: [operator.accountId] });
    state.capacity.set(U1, { machineMinutes: { 'laser-cutting': 600, '3d-printing.fdm': 1200 }, materials: { pla: { quantity: 5000, unit: 'g' } } });
    state.capacity.set(U2, { machineMinutes: { 'laser-cutting': 300 }, materials: {} });
  }, 60_000);
  afterAll(async () => {
    await peers?.close();
    await t?.close();
  }, 60_000);

  it('creates a council (the creator is its admin) with rates and greedy rules', async () => {
    const bad = await t.http.post('/councils', { name: 'x', rules: { rates: { machineHour: { 'no-such-process': '3' } } } }, { token: admin.token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('rules.rates.machineHour.no-such-process');
    expect(await count('SELECT count(*) AS n FROM council.councils')).toBe(0);

    const created = await t.http.post(
      '/councils',
      {
        name: 'Lower Rhine makers',
        scope: 'machine time of the Lower Rhine fab labs',
        rules: {
          votingMethod: 'greedy',
          rates: { machineHour: { 'laser-cutting': '30', '3d-printing.fdm': 6 }, material: { PLA: { unit: 'kg', rate: '25' } } },
        },
      },
      { token: admin.token },
    );
    expect(created.status).toBe(201);
    councilId = created.body.id;
    expect(created.body.members).toEqual([expect.objectContaining({ accountId: admin.accountId, role: 'admin' })]);
    expect(created.body.rules).toMatchObject({ votingMethod: 'greedy', ballotType: 'approval', tieBreak: 'id', secretBallots: true });
    expect(created.body.rules.rates.material).toEqual({ pla: { unit: 'kg', rate: '25' } });
  });

  it('admits members: admins only, known accounts, once', async () => {
    for (const m of members) {
      const a = await t.http.post(`/councils/${councilId}/members`, { accountId: m.accountId, role: 'community' }, { token: admin.token });
      expect(a.status).toBe(201);
    }
    expect((await t.http.post(`/councils/${councilId}/members`, { accountId: outsider.accountId, role: 'community' }, { token: members[0]!.token })).status).toBe(403);
    expect((await t.http.post(`/councils/${councilId}/members`, { accountId: outsider.accountId, role: 'community' }, { token: outsider.token })).status).toBe(403);
    expect((await t.http.post(`/councils/${randomUUID()}/members`, { accountId: outsider.accountId, role: 'community' }, { token: admin.token })).status).toBe(404);
    expect((await t.http.post(`/councils/${councilId}/members`, { accountId: members[0]!.accountId, role: 'designer' }, { token: admin.token })).status).toBe(409);
    expect((await t.http.post(`/councils/${councilId}/members`, { accountId: randomUUID(), role: 'designer' }, { token: admin.token })).status).toBe(422);
    const bad = await t.http.post(`/councils/${councilId}/members`, { accountId: outsider.accountId, role: 'king', extra: 1 }, { token: admin.token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['extra', 'role']);
    expect(await count('SELECT count(*) AS n FROM council.members')).toBe(5);
    expect((await t.http.post(`/councils/${councilId}/members`, { accountId: outsider.accountId, role: 'community' })).status).toBe(401);
  }, 30_000);

  it('pools fab units: a council admin or the unit operator', async () => {
    expect((await t.http.post(`/councils/${councilId}/fab-units`, { fabUnitId: U2 }, { token: outsider.token })).status).toBe(403);
    expect((await t.http.post(`/councils/${councilId}/fab-units`, { fabUnitId: U1 }, { token: admin.token })).status).toBe(201);
    const byOperator = await t.http.post(`/councils/${councilId}/fab-units`, { fabUnitId: U2 }, { token: operator.token });
    expect(byOperator.status).toBe(201);
    expect(byOperator.body.fabUnitIds.sort()).toEqual([U1, U2].sort());
    expect((await t.http.post(`/councils/${councilId}/fab-units`, { fabUnitId: U1 }, { token: admin.token })).status).toBe(409);
    expect((await t.http.post(`/councils/${councilId}/fab-units`, { fabUnitId: U3 }, { token: admin.token })).status).toBe(422);
    expect((await t.http.post(`/councils/${councilId}/fab-units`, { fabUnitId: 'nope' }, { token: admin.token })).status).toBe(400);
    expect((await t.http.post(`/councils/${randomUUID()}/fab-units`, { fabUnitId: U1 }, { token: admin.token })).status).toBe(404);
    expect(state.councilMemberships).toHaveLength(2);
    expect((await t.http.get(`/councils/${randomUUID()}`, { token: outsider.token })).status).toBe(404);
    expect((await t.http.get(`/councils/not-a-uuid`, { token: outsider.token })).status).toBe(400);
    const council = await t.http.get(`/councils/${councilId}`, { token: outsider.token });
    expect(council.status).toBe(200);
    expect(council.body.members).toHaveLength(5);
  });

  let roundId: string;

  it('opens a round: admins only, snapshots the pool, schedules the close', async () => {
    // From now on, for the next two weeks: a period under way is a period.
    const body = { title: 'The next two weeks', periodFrom: new Date().toISOString(), periodTo: future(14 * DAY), closesAt: future(3_600_000) };
    expect((await t.http.post(`/councils/${councilId}/rounds`, body, { token: members[0]!.token })).status).toBe(403);
    expect((await t.http.post(`/councils/${councilId}/rounds`, { ...body, periodTo: day(-30) }, { token: admin.token })).status).toBe(400);
    expect((await t.http.post(`/councils/${councilId}/rounds`, { ...body, closesAt: 'tomorrow' }, { token: admin.token })).status).toBe(400);
    // A period already over could fund nothing (production reserves only inside it).
    const over = await t.http.post(`/councils/${councilId}/rounds`, { ...body, periodFrom: day(-14), periodTo: day(-7) }, { token: admin.token });
    expect(over.status).toBe(400);
    expect(over.headers.get('content-type')).toContain('application/problem+json');
    expect(over.body.errors).toEqual([{ field: 'periodTo', message: expect.stringContaining('periodTo must be in the future') }]);
    expect(await count('SELECT count(*) AS n FROM council.rounds')).toBe(0);
    expect(await count('SELECT count(*) AS n FROM council.outbox WHERE queue = $1', [QUEUES.roundCloses])).toBe(0);
    const opened = await t.http.post(`/councils/${councilId}/rounds`, body, { token: admin.token });
    expect(opened.status).toBe(201);
    roundId = opened.body.id;
    expect(opened.body).toMatchObject({ periodFrom: body.periodFrom, periodTo: body.periodTo });
    // The budget counts the period from now on: time already past is no capacity.
    expect(Date.parse(opened.body.budget.from)).toBeGreaterThanOrEqual(Date.parse(body.periodFrom));
    expect(opened.body.budget.to).toBe(body.periodTo);
    // 900 laser minutes × 30/h + 1200 FDM minutes × 6/h + 5 kg PLA × 25
    expect(opened.body.budget).toMatchObject({
      money: '695',
      limits: { 'laser-cutting machine minutes': '900', '3d-printing.fdm machine minutes': '1200', 'pla kg': '5' },
    });
    expect(opened.body.rules.votingMethod).toBe('greedy');
    const job = await t.sql<{ queue: string; job_id: string; delay_ms: number }>(`SELECT queue, job_id, delay_ms FROM council.outbox WHERE queue = $1`, [QUEUES.roundCloses]);
    expect(job).toEqual([expect.objectContaining({ job_id: roundId })]);
    expect(job[0]!.delay_ms).toBeGreaterThan(3_500_000);
  });

  it('takes submitted requests within the pool as candidates, priced in the council unit', async () => {
    request('a', { costVector: { machineMinutes: { 'laser-cutting': 600 }, materials: { pla: { quantity: 1000, unit: 'g' } } } });
    request('b', { fabUnitIds: [U2], costVector: { machineMinutes: { 'laser-cutting': 400 }, materials: {} } });
    request('c', { costVector: { machineMinutes: { '3d-printing.fdm': 600 }, materials: { pla: { quantity: 2, unit: 'kg' } } } });
    request('d', { requesterId: outsider.accountId, costVector: { machineMinutes: { '3d-printing.fdm': 300 }, materials: {} } });
    request('outside', { fabUnitIds: [U3], costVector: { machineMinutes: { 'laser-cutting': 10 }, materials: {} } });
    request('draft', { state: 'draft', costVector: { machineMinutes: { 'laser-cutting': 10 }, materials: {} } });
    request('unpriced', { costVector: { machineMinutes: { 'cnc-milling': 10 }, materials: {} } });

    const add = (key: string, who: Person) => t.http.post(`/rounds/${roundId}/candidates`, { productionRequestId: R[key] ?? key }, { token: who.token });
    const a = await add('a', members[0]!);
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ cost: '325', resources: { 'laser-cutting machine minutes': '600', 'pla kg': '1' }, purpose: 'purpose of a' });
    expect((await add('b', admin)).status).toBe(201);
    expect((await add('c', outsider)).status).toBe(403);
    expect((await add('c', admin)).status).toBe(201);
    expect((await add('d', outsider)).status).toBe(201); // its requester
    expect((await add('a', admin)).status).toBe(409);
    const outside = await add('outside', admin);
    expect(outside.status).toBe(422);
    expect(outside.body.fabUnitIds).toEqual([U3]);
    expect((await add('draft', admin)).status).toBe(409);
    const unpriced = await add('unpriced', admin);
    expect(unpriced.status).toBe(422);
    expect(unpriced.body.detail).toContain('no rate per machine hour for cnc-milling');
    expect((await add(randomUUID(), admin)).status).toBe(422);
    expect((await add('not-a-uuid', admin)).status).toBe(400);
    expect(await count('SELECT count(*) AS n FROM council.candidates')).toBe(4);
    expect(state.enterAllocationCalls.map((c) => c.requestIds[0])).toEqual([R.a, R.b, R.c, R.d]);
  });

  it('takes ballots from members only, checked against the candidates, nothing written when refused', async () => {
    const put = (who: Person, body: unknown) => t.http.put(`/rounds/${roundId}/ballot`, body, { token: who.token });
    expect((await put(outsider, { approvals: [R.a] })).status).toBe(403);
    expect((await t.http.put(`/rounds/${randomUUID()}/ballot`, { approvals: [R.a] }, { token: admin.token })).status).toBe(404);
    const unknown = await put(admin, { approvals: [R.a, R.outside] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0]).toMatchObject({ field: 'approvals.1' });
    expect((await put(admin, { points: { [R.a!]: 3 } })).status).toBe(400);
    expect((await put(admin, { approvals: ['x'] })).status).toBe(400);
    expect(await count('SELECT count(*) AS n FROM council.round_ballots')).toBe(0);

    const first = await put(admin, { approvals: [R.a, R.c] });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ replaced: false, receipt: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const again = await put(admin, { approvals: [R.a, R.b] });
    expect(again.body.replaced).toBe(true);
    const own = await t.http.get(`/rounds/${roundId}/ballot`, { token: admin.token });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ approvals: [R.a, R.b].sort(), receipt: again.body.receipt });
    expect((await t.http.get(`/rounds/${roundId}/ballot`, { token: members[0]!.token })).status).toBe(404);
    expect((await t.http.get(`/rounds/${roundId}/ballot`, { token: outsider.token })).status).toBe(403);
    // The candidate list is fixed once voting has started.
    request('late', { costVector: { machineMinutes: { 'laser-cutting': 10 }, materials: {} } });
    expect((await t.http.post(`/rounds/${roundId}/candidates`, { productionRequestId: R.late }, { token: admin.token })).status).toBe(409);
  });

  it('keeps one ballot per member under 100 concurrent PUTs', async () => {
    const m = members[0]!;
    const variants = [[R.a], [R.a, R.b], [R.a, R.b, R.c], [R.c], [R.d]];
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => t.http.put(`/rounds/${roundId}/ballot`, { approvals: variants[i % variants.length] }, { token: m.token })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(100).fill(200));
    expect(answers.filter((a) => !a.body.replaced).length).toBe(1);
    const rows = await t.sql<{ n: string }>(
      `SELECT count(*) AS n FROM council.round_ballots b JOIN council.members m ON m.id = b.member_id WHERE b.round_id = $1 AND m.account_id = $2`,
      [roundId, m.accountId],
    );
    expect(rows[0]!.n).toBe('1');
    const own = await t.http.get(`/rounds/${roundId}/ballot`, { token: m.token });
    expect(answers.map((a) => a.body.receipt)).toContain(own.body.receipt);
  }, 30_000);

  let result: any;

  it('closes (admins only), funds greedily within every resource, and hands every decision to production', async () => {
    const votes: [Person, string[]][] = [
      [members[0]!, [R.a!, R.b!, R.c!]],
      [members[1]!, [R.a!, R.c!]],
      [members[2]!, [R.a!]],
      [members[3]!, [R.b!, R.d!]],
    ];
    // The council changes its rules by motion while the round is open: the round keeps its copy.
    const motion = await t.http.post(
      `/councils/${councilId}/motions`,
      { title: 'Equal shares from now on', kind: 'yes-no', action: { type: 'change-rules', rules: { votingMethod: 'equal-shares' } } },
      { token: members[0]!.token },
    );
    for (const who of [admin, ...members]) await t.http.put(`/motions/${motion.body.id}/ballot`, { choice: 'yes' }, { token: who.token });
    expect((await t.http.post(`/motions/${motion.body.id}/close`, undefined, { token: admin.token })).body.actionApplied).toBe(true);
    expect((await t.http.get(`/councils/${councilId}`, { token: admin.token })).body.rules.votingMethod).toBe('equal-shares');

    const receipts: Record<string, string> = {};
    for (const [who, approvals] of votes) {
      const a = await t.http.put(`/rounds/${roundId}/ballot`, { approvals }, { token: who.token });
      expect(a.status).toBe(200);
      receipts[who.accountId] = a.body.receipt;
    }
    expect((await t.http.get(`/rounds/${roundId}/result`)).status).toBe(409);
    expect((await t.http.get(`/rounds/${roundId}/export.pb`)).status).toBe(409);
    expect((await t.http.post(`/rounds/${roundId}/close`, undefined, { token: members[1]!.token })).status).toBe(403);

    const closed = await t.http.post(`/rounds/${roundId}/close`, undefined, { token: admin.token });
    expect(closed.status).toBe(200);
    result = closed.body;
    // a: 4 votes, b: 3, c: 2, d: 1. b does not fit the laser minutes left after a.
    expect(result.funded).toEqual([R.a, R.c, R.d]);
    expect(result.rule).toBe('greedy by approvals');
    expect(result).toMatchObject({ ballots: 5, members: 5, quorumMet: true, budget: '695', cost: '465' });
    const b = result.candidates.find((c: any) => c.productionRequestId === R.b);
    expect(b).toMatchObject({ funded: false, votes: 3, cost: '200', shortResource: 'laser-cutting machine minutes' });
    expect(b.reason).toContain('needs 400, 300 left');
    expect(result.candidates[0]).toMatchObject({ productionRequestId: R.a, position: 1, votes: 4, funded: true });
    expect(result.digest).toMatch(/^[0-9a-f]{64}$/);
    for (const r of Object.values(receipts)) expect(result.receipts).toContain(r);
    expect(result).not.toHaveProperty('ballotsByMember');

    expect((await t.http.post(`/rounds/${roundId}/close`, undefined, { token: admin.token })).status).toBe(409);
    const late = await t.http.put(`/rounds/${roundId}/ballot`, { approvals: [R.b] }, { token: members[2]!.token });
    expect(late.status).toBe(409);
    const stored = await t.sql<{ content: { approvals: string[] } }>(
      `SELECT b.content FROM council.round_ballots b JOIN council.members m ON m.id = b.member_id WHERE b.round_id = $1 AND m.account_id = $2`,
      [roundId, members[2]!.accountId],
    );
    expect(stored[0]!.content.approvals).toEqual([R.a]);

    const outbox = await t.sql<{ job_id: string; payload: any; name: string }>(`SELECT job_id, name, payload FROM council.outbox WHERE queue = $1 ORDER BY job_id`, [QUEUES.allocations]);
    expect(outbox).toHaveLength(4);
    const decisions = Object.fromEntries(outbox.map((o) => [o.payload.requestId, o.payload]));
    expect(decisions[R.a!]).toMatchObject({ roundId, funded: true });
    expect(decisions[R.b!]).toMatchObject({ roundId, funded: false, reason: expect.stringContaining('laser-cutting') });
    expect(outbox.every((o) => o.job_id === `${roundId}-${o.payload.requestId}`)).toBe(true);

    // The relay hands them to BullMQ under the same job ids.
    const queue = new Queue(QUEUES.allocations, { connection: redisConnectionOptions(t.config.redisUrl), prefix: `${t.config.namespace}:bull` });
    try {
      let job;
      for (let i = 0; i < 100 && !job; i++) {
        job = await queue.getJob(`${roundId}-${R.b}`);
        if (!job) await new Promise((r) => setTimeout(r, 100));
      }
      expect(job?.data).toMatchObject({ roundId, requestId: R.b, funded: false });
    } finally {
      await queue.close();
    }
  }, 30_000);

  it('publishes the result and an anonymised Pabulib export that recomputes it', async () => {
    const stored = await t.http.get(`/rounds/${roundId}/result`);
    expect(stored.status).toBe(200);
    // The tally as counted at the close; production's side beside each candidate (see below).
    const { production, candidates, ...tally } = stored.body;
    const { candidates: closedCandidates, ...closedTally } = result;
    expect(tally).toEqual(closedTally);
    expect(candidates.map(({ production: _p, ...c }: any) => c)).toEqual(closedCandidates);
    expect(production).toEqual({ readAt: expect.any(String) });
    const exported = await t.http.get(`/rounds/${roundId}/export.pb`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain('text/plain');
    const text = exported.text;
    for (const p of [admin, ...members]) expect(text).not.toContain(p.accountId);
    const { roundId: _r, digest, receipts: _x, closedAt: _c, ...counted } = result;
    expect(recomputeFromExport(text)).toEqual(counted);
    expect(digestOfExport(text)).toBe(digest);
    expect((await t.http.get(`/rounds/${randomUUID()}/result`)).status).toBe(404);
  });

  it("shows production's fate of each candidate beside the tally, without touching the tally or its digest", async () => {
    // Production failed a funded request (its unit's time was gone) and applied the others' decisions.
    const failure = 'No reservation could be placed at Fab Lab Kleve: No 600 free minutes for laser-cutting';
    state.outcomes.set(R.a!, { state: 'failed', reason: failure, decision: 'failed', updatedAt: '2026-11-24T09:00:00.000Z' });
    state.outcomes.set(R.c!, { state: 'funded', decision: 'funded' });
    state.outcomes.set(R.d!, { state: 'cancelled', reason: 'cancelled by its requester', decision: 'funded' });
    state.outcomes.set(R.b!, { state: 'unfunded', reason: result.candidates.find((c: any) => c.productionRequestId === R.b).reason, decision: 'unfunded' });
    // Read by a member: production's reasons are shown to the council's members.
    const shown = (await t.http.get(`/rounds/${roundId}/result`, { token: members[0]!.token })).body;
    const of = (id: string) => shown.candidates.find((c: any) => c.productionRequestId === id);
    expect(of(R.a!)).toMatchObject({ funded: true, position: 1, production: { state: 'failed', reason: failure, decision: 'failed', roundId, updatedAt: '2026-11-24T09:00:00.000Z' } });
    expect(of(R.c!)).toMatchObject({ funded: true, production: { state: 'funded', decision: 'funded' } });
    expect(of(R.d!)).toMatchObject({ funded: true, production: { state: 'cancelled', reason: 'cancelled by its requester' } });
    expect(of(R.b!)).toMatchObject({ funded: false, production: { state: 'unfunded', decision: 'unfunded' } });
    // Anyone else sees the states, not the reasons (a decline or fail reason may quote an
    // operator's note); a requester who is no member reads the reason of their own request only.
    for (const [token, ownRequest] of [[undefined, null], [outsider.token, R.d!]] as const) {
      const publicView = (await t.http.get(`/rounds/${roundId}/result`, { token })).body;
      const pub = (id: string) => publicView.candidates.find((c: any) => c.productionRequestId === id);
      expect(pub(R.a!).production).toEqual({ state: 'failed', reason: null, reasonWithheld: true, decision: 'failed', roundId, updatedAt: '2026-11-24T09:00:00.000Z' });
      expect(pub(R.d!).production).toMatchObject(
        ownRequest === R.d ? { state: 'cancelled', reason: 'cancelled by its requester' } : { state: 'cancelled', reason: null, reasonWithheld: true },
      );
      expect(pub(R.c!).production).not.toHaveProperty('reasonWithheld');
      expect(publicView.digest).toBe(shown.digest);
    }
    // The vote's record is as it was: the funded list, the digest, the stored row.
    expect(shown.funded).toEqual(result.funded);
    expect(shown.digest).toBe(result.digest);
    const row = await t.sql<{ result: unknown; digest: string }>(`SELECT result, digest FROM council.rounds WHERE id = $1`, [roundId]);
    expect(row[0]).toEqual({ result, digest: result.digest });

    // Production not answering: the tally alone, saying why.
    state.outcomesDown = true;
    try {
      const alone = await t.http.get(`/rounds/${roundId}/result`);
      expect(alone.status).toBe(200);
      expect(alone.body.production).toEqual({ readAt: expect.any(String), unavailable: expect.stringContaining('production is down') });
      expect(alone.body.candidates).toEqual(result.candidates);
      expect(alone.body.digest).toBe(result.digest);
    } finally {
      state.outcomesDown = false;
    }
    expect((await t.http.get(`/rounds/not-a-uuid/result`)).status).toBe(400);
  });

  it('closes on schedule: the delayed job counts the round when its window ends', async () => {
    const opened = await t.http.post(
      `/councils/${councilId}/rounds`,
      { title: 'short', periodFrom: day(20), periodTo: day(34), closesAt: future(1500) },
      { token: admin.token },
    );
    expect(opened.status).toBe(201);
    let state = 'open';
    for (let i = 0; i < 150 && state === 'open'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = (await t.http.get(`/rounds/${opened.body.id}`, { token: admin.token })).body.state;
    }
    expect(state).toBe('closed');
    const closed = await t.sql<{ closed_by: string | null }>(`SELECT closed_by FROM council.rounds WHERE id = $1`, [opened.body.id]);
    expect(closed[0]!.closed_by).toBeNull();
    expect((await t.http.put(`/rounds/${opened.body.id}/ballot`, { approvals: [] }, { token: admin.token })).status).toBe(409);
  }, 30_000);

  it('a ballot racing the close is counted before it or refused, never stored after (equal shares council)', async () => {
    const created = await t.http.post('/councils', { name: 'race', rules: { rates: { machineHour: { 'laser-cutting': '30' } } } }, { token: admin.token });
    const raceCouncil = created.body.id;
    const voters: Person[] = [admin, ...members];
    for (let i = 0; i < 15; i++) voters.push(await t.signUp(`racer${i}`));
    for (const v of voters.slice(1)) {
      expect((await t.http.post(`/councils/${raceCouncil}/members`, { accountId: v.accountId, role: 'community' }, { token: admin.token })).status).toBe(201);
    }
    await t.http.post(`/councils/${raceCouncil}/fab-units`, { fabUnitId: U1 }, { token: admin.token });
    const round = await t.http.post(
      `/councils/${raceCouncil}/rounds`,
      { title: 'race', periodFrom: day(40), periodTo: day(54), closesAt: future(3_600_000) },
      { token: admin.token },
    );
    request('x', { costVector: { machineMinutes: { 'laser-cutting': 300 }, materials: {} } });
    request('y', { costVector: { machineMinutes: { 'laser-cutting': 400 }, materials: {} } });
    for (const k of ['x', 'y']) {
      expect((await t.http.post(`/rounds/${round.body.id}/candidates`, { productionRequestId: R[k] }, { token: admin.token })).status).toBe(201);
    }
    // Half the ballots leave before the close, half after it, 60 ms apart, none awaited: they meet
    // the close in flight, before, during and after its transaction.
    const put = (v: Person, i: number) => t.http.put(`/rounds/${round.body.id}/ballot`, { approvals: i % 2 ? [R.x] : [R.x, R.y] }, { token: v.token });
    const early = voters.slice(0, 10).map(put);
    const close = t.http.post(`/rounds/${round.body.id}/close`, undefined, { token: admin.token });
    const late = voters.slice(10).map((v, i) => new Promise<Awaited<ReturnType<typeof put>>>((resolve) => setTimeout(() => resolve(put(v, i + 10)), 60 * i)));
    const answers = await Promise.all([...early, ...late]);
    const closed = await close;
    expect(closed.status).toBe(200);
    expect(answers.every((a) => a.status === 200 || a.status === 409)).toBe(true);
    const accepted = answers.filter((a) => a.status === 200);
    const stored = await count(`SELECT count(*) AS n FROM council.round_ballots WHERE round_id = $1`, [round.body.id]);
    expect(closed.body.ballots).toBe(accepted.length);
    expect(stored).toBe(accepted.length);
    expect(closed.body.receipts.sort()).toEqual(accepted.map((a) => a.body.receipt).sort());
    const after = await count(`SELECT count(*) AS n FROM council.round_ballots b JOIN council.rounds r ON r.id = b.round_id WHERE b.round_id = $1 AND b.cast_at > r.closed_at`, [round.body.id]);
    expect(after).toBe(0);
    expect(closed.body.rule).toContain('Method of Equal Shares');
  }, 60_000);

  it('with final ballots, exactly one of 100 concurrent first ballots is stored; open ballots are published', async () => {
    const created = await t.http.post(
      '/councils',
      { name: 'final', rules: { replaceableBallots: false, secretBallots: false, votingMethod: 'greedy', rates: { machineHour: { 'laser-cutting': '30' } } } },
      { token: admin.token },
    );
    const id = created.body.id;
    await t.http.post(`/councils/${id}/members`, { accountId: members[1]!.accountId, role: 'community' }, { token: admin.token });
    await t.http.post(`/councils/${id}/fab-units`, { fabUnitId: U1 }, { token: admin.token });
    const round = await t.http.post(
      `/councils/${id}/rounds`,
      { title: 'final', periodFrom: day(60), periodTo: day(74), closesAt: future(3_600_000) },
      { token: admin.token },
    );
    request('f', { costVector: { machineMinutes: { 'laser-cutting': 60 }, materials: {} } });
    await t.http.post(`/rounds/${round.body.id}/candidates`, { productionRequestId: R.f }, { token: admin.token });
    const view = await t.http.get(`/rounds/${round.body.id}`, { token: members[1]!.token });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ state: 'open', ballots: 0, candidates: [expect.objectContaining({ productionRequestId: R.f, cost: '30' })] });
    expect((await t.http.get(`/rounds/${randomUUID()}`, { token: admin.token })).status).toBe(404);

    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => t.http.put(`/rounds/${round.body.id}/ballot`, { approvals: i % 2 ? [R.f] : [] }, { token: members[1]!.token })),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(99);
    expect(await count(`SELECT count(*) AS n FROM council.round_ballots WHERE round_id = $1`, [round.body.id])).toBe(1);
    const own = await t.http.get(`/rounds/${round.body.id}/ballot`, { token: members[1]!.token });
    const closed = await t.http.post(`/rounds/${round.body.id}/close`, undefined, { token: admin.token });
    expect(closed.body.ballotsByMember).toEqual([{ accountId: members[1]!.accountId, ballot: { approvals: own.body.approvals } }]);
    expect(closed.body.receipts).toEqual([own.body.receipt]);
  }, 60_000);

  it('refuses a ballot row on a closed round in the database itself', async () => {
    await expect(
      t.sql(`INSERT INTO council.round_ballots (round_id, member_id, content, receipt) SELECT $1, id, '{}', 'x' FROM council.members WHERE account_id = $2 AND council_id = $3`, [
        roundId,
        admin.accountId,
        councilId,
      ]),
    ).rejects.toThrow(/ballot-after-close/);
  });
});
