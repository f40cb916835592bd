import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestSystem, type TestSystem } from '../../../../test/support/test-system.js';

/** Council motions over HTTP: yes/no with quorum, threshold and actions; ranked by Schulze with a default option. */
describe('council motions', () => {
  let t: TestSystem;
  type Person = { token: string; accountId: string; email: string };
  let admin: Person;
  let outsider: Person;
  let candidate: Person;
  const members: Person[] = [];
  let councilId: string;
  const count = async (sql: string, params: unknown[] = []) => Number((await t.sql<{ n: string }>(sql, params))[0]!.n);

  beforeAll(async () => {
    t = await startTestSystem({ services: ['gateway', 'council'] });
    admin = await t.signUp('chair');
    outsider = await t.signUp('outsider');
    candidate = await t.signUp('newcomer');
    for (let i = 0; i < 4; i++) members.push(await t.signUp(`m${i}`));
    const created = await t.http.post('/councils', { name: 'Motions council', rules: { quorum: '1/2' } }, { token: admin.token });
    councilId = created.body.id;
    for (const m of members) await t.http.post(`/councils/${councilId}/members`, { accountId: m.accountId, role: 'designer' }, { token: admin.token });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  }, 60_000);

  it('documents every council route in OpenAPI', async () => {
    const spec = await t.http.get('/docs-json');
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining([
        '/councils',
        '/councils/{id}',
        '/councils/{id}/members',
        '/councils/{id}/fab-units',
        '/councils/{id}/motions',
        '/councils/{id}/rounds',
        '/motions/{id}/ballot',
        '/motions/{id}/close',
        '/motions/{id}/result',
        '/rounds/{id}/candidates',
        '/rounds/{id}/ballot',
        '/rounds/{id}/close',
        '/rounds/{id}/result',
        '/rounds/{id}/export.pb',
      ]),
    );
  });

  it('refuses bad motions with problem details and writes nothing', async () => {
    const post = (body: unknown, who = members[0]!) => t.http.post(`/councils/${councilId}/motions`, body, { token: who.token });
    expect((await post({ title: 'x', kind: 'maybe' })).status).toBe(400);
    expect((await post({ title: 'x', kind: 'ranked', options: ['A'] })).status).toBe(400);
    const mixed = await post({ title: 'x', kind: 'yes-no', options: ['A', 'B'] });
    expect(mixed.status).toBe(400);
    expect(mixed.body.errors[0].field).toBe('options');
    expect((await post({ title: 'x', kind: 'ranked', options: ['A', 'B'], defaultOption: 'C' })).status).toBe(400);
    expect((await post({ title: 'x', kind: 'yes-no', action: { type: 'admit-member', accountId: candidate.accountId } })).status).toBe(400);
    expect((await post({ title: 'x', kind: 'yes-no', action: { type: 'change-rules', rules: { votingMethod: 'borda' } } })).status).toBe(400);
    expect((await post({ title: 'x', kind: 'yes-no', action: { type: 'admit-member', accountId: randomUUID(), role: 'community' } })).status).toBe(422);
    expect((await post({ title: 'x', kind: 'yes-no' }, outsider)).status).toBe(403);
    expect((await t.http.post(`/councils/${randomUUID()}/motions`, { title: 'x', kind: 'yes-no' }, { token: admin.token })).status).toBe(404);
    expect(await count('SELECT count(*) AS n FROM council.motions')).toBe(0);
  });

  it('admits a member by a passed yes/no motion, counted once per member', async () => {
    const created = await t.http.post(
      `/councils/${councilId}/motions`,
      { title: 'Admit the newcomer', kind: 'yes-no', threshold: '2:1', action: { type: 'admit-member', accountId: candidate.accountId, role: 'community' } },
      { token: members[0]!.token },
    );
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body).toMatchObject({ state: 'open', threshold: '2:1', quorum: '0.5' });
    expect((await t.http.get(`/motions/${id}`, { token: outsider.token })).body.title).toBe('Admit the newcomer');

    const cast = (who: Person, body: unknown) => t.http.put(`/motions/${id}/ballot`, body, { token: who.token });
    expect((await cast(outsider, { choice: 'yes' })).status).toBe(403);
    expect((await cast(members[0]!, { choice: 'perhaps' })).status).toBe(400);
    expect((await cast(members[0]!, { ranking: ['A'] })).status).toBe(400);
    expect((await t.http.put(`/motions/${randomUUID()}/ballot`, { choice: 'yes' }, { token: admin.token })).status).toBe(404);
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => cast(members[0]!, { choice: i % 2 ? 'yes' : 'no' })));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(await count('SELECT count(*) AS n FROM council.motion_ballots WHERE motion_id = $1', [id])).toBe(1);
    const finalVote = await cast(members[0]!, { choice: 'yes' });
    expect(finalVote.body.replaced).toBe(true);
    await cast(members[1]!, { choice: 'yes' });
    await cast(members[2]!, { choice: 'no' });
    await cast(admin, { choice: 'yes' });

    expect((await t.http.get(`/motions/${id}/result`)).status).toBe(409);
    expect((await t.http.post(`/motions/${id}/close`, undefined, { token: members[0]!.token })).status).toBe(403);
    const closed = await t.http.post(`/motions/${id}/close`, undefined, { token: admin.token });
    expect(closed.status).toBe(200);
    // 3 yes to 1 no meets 2:1; 4 of 5 members voted (quorum 1/2)
    expect(closed.body).toMatchObject({ passed: true, quorumMet: true, yes: 3, no: 1, abstain: 0, actionApplied: true, members: 5, ballots: 4 });
    expect(closed.body.receipts).toContain(finalVote.body.receipt);
    expect(closed.body.digest).toMatch(/^[0-9a-f]{64}$/);
    expect((await t.http.post(`/motions/${id}/close`, undefined, { token: admin.token })).status).toBe(409);
    expect((await cast(members[3]!, { choice: 'no' })).status).toBe(409);
    const council = await t.http.get(`/councils/${councilId}`, { token: admin.token });
    expect(council.body.members.map((m: { accountId: string }) => m.accountId)).toContain(candidate.accountId);
    expect((await t.http.get(`/motions/${id}/result`)).body).toEqual(closed.body);
  }, 60_000);

  it('rejects below the quorum and changes the rules only when passed', async () => {
    const created = await t.http.post(
      `/councils/${councilId}/motions`,
      { title: 'Use greedy', kind: 'yes-no', quorum: '3/4', action: { type: 'change-rules', rules: { votingMethod: 'greedy' } } },
      { token: members[1]!.token },
    );
    expect(created.status).toBe(201);
    await t.http.put(`/motions/${created.body.id}/ballot`, { choice: 'yes' }, { token: members[1]!.token });
    const closed = await t.http.post(`/motions/${created.body.id}/close`, undefined, { token: admin.token });
    expect(closed.body).toMatchObject({ passed: false, quorumMet: false, actionApplied: false });
    expect((await t.http.get(`/councils/${councilId}`, { token: admin.token })).body.rules.votingMethod).toBe('equal-shares');

    const again = await t.http.post(
      `/councils/${councilId}/motions`,
      { title: 'Use greedy', kind: 'yes-no', action: { type: 'change-rules', rules: { votingMethod: 'greedy' } } },
      { token: members[1]!.token },
    );
    for (const m of [admin, ...members]) await t.http.put(`/motions/${again.body.id}/ballot`, { choice: 'yes' }, { token: m.token });
    const passed = await t.http.post(`/motions/${again.body.id}/close`, undefined, { token: admin.token });
    expect(passed.body).toMatchObject({ passed: true, actionApplied: true });
    expect((await t.http.get(`/councils/${councilId}`, { token: admin.token })).body.rules.votingMethod).toBe('greedy');
  }, 60_000);

  it('counts a ranked motion by Schulze, dropping options that do not beat the default option', async () => {
    const created = await t.http.post(
      `/councils/${councilId}/motions`,
      { title: 'Logo', kind: 'ranked', options: ['Swirl', 'Pot', 'Further discussion'], defaultOption: 'Further discussion' },
      { token: members[2]!.token },
    );
    expect(created.status).toBe(201);
    const id = created.body.id;
    const cast = (who: Person, ranking: string[]) => t.http.put(`/motions/${id}/ballot`, { ranking }, { token: who.token });
    expect((await cast(members[0]!, ['Swirl', 'Nope'])).status).toBe(400);
    expect((await cast(members[0]!, ['Swirl', 'Pot', 'Further discussion'])).status).toBe(200);
    await cast(members[1]!, ['Swirl', 'Further discussion', 'Pot']);
    await cast(members[2]!, ['Further discussion', 'Swirl', 'Pot']);
    await cast(members[3]!, ['Pot', 'Further discussion', 'Swirl']);
    await cast(candidate, ['Swirl', 'Further discussion']);
    const closed = await t.http.post(`/motions/${id}/close`, undefined, { token: admin.token });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ kind: 'ranked', passed: true, winners: ['Swirl'], droppedByDefault: ['Pot'] });
    expect(closed.body.pairwise['Swirl>Pot']).toBe(4);
    expect(closed.body.strongestPaths['Swirl>Further discussion']).toBeDefined();
  }, 60_000);
});
