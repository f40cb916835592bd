import type { CandidateView, CouncilView, RoundResultView, RoundView } from '#libs/contracts/src/council/index.js';
import type { CapacityView, FabUnitView } from '#libs/contracts/src/fabrication/views.js';
import type { ProductionRequestView } from '#libs/contracts/src/production/views.js';
import { type Person, personName, register, tokenOf } from './accounts.js';
import { planBallots, type VotingMember } from './ballots.js';
import type { DemoContext } from './context.js';
import { mapLimit } from './demo-client.js';
import type { CouncilFact, RequestFact } from './facts.js';
import { type DesignInfo, planRequests, type PoolLab } from './plan-requests.js';
import { DEMO_PROCESSES, DEMO_RATES, poolRole, type RegionSelection } from './regions.js';

/** Community members of each council. */
export const COMMUNITY = 8;
/**
 * The round allocates the week after it opens: production reserves the funded jobs, and a
 * rerouted one, inside it. The requests are needed two weeks after it.
 */
export const PERIOD_DAYS = 7;
export const NEED_BY_DAYS = 21;

export interface CouncilRun {
  fact: CouncilFact;
  /** Requesters and their requests' ids, for reading requests and provenance as their owners. */
  requesters: Map<string, Person>;
  labs: PoolLab[];
}

/** Step 3 and 4 for one region: council, members, pool, round, requests, ballots, close. */
export async function runCouncil(ctx: DemoContext, selected: RegionSelection, designs: readonly DesignInfo[]): Promise<CouncilRun> {
  const { client, admin } = ctx;
  const { region } = selected;
  const token = admin.token;

  const views = await mapLimit(selected.pool, 4, async (l) => (await client.get<FabUnitView>(`/fab-units/${l.id}`)).body);
  const labs: PoolLab[] = views.map((v) => ({
    id: v.id,
    key: `${v.name}|${v.url ?? ''}`,
    name: v.name,
    lat: v.location.lat!,
    lon: v.location.lon!,
    processes: [...new Set(v.machines.filter((m) => m.status === 'available').map((m) => m.process))],
    stock: Object.fromEntries(v.materials.filter((m) => m.free !== null && m.unit).map((m) => [m.material, { quantity: m.free!, unit: m.unit! }])),
    freeMinutes: {},
  }));
  // Available machines per demo process in the pool: two of each (twins), see regions.ts.
  const machinesPerProcess: Record<string, number> = {};
  for (const v of views) {
    for (const m of v.machines) if (m.status === 'available' && DEMO_PROCESSES.includes(m.process)) machinesPerProcess[m.process] = (machinesPerProcess[m.process] ?? 0) + 1;
  }

  const council = (
    await client.post<CouncilView>(
      '/councils',
      { name: `${region.councilName} (demo ${ctx.runId})`, scope: region.scope, rules: { votingMethod: 'equal-shares', rates: DEMO_RATES } },
      { token },
    )
  ).body;

  const bar = ctx.progress(`members, ${region.key}`, labs.length + COMMUNITY);
  const delegates = await mapLimit(labs, 4, async (lab, i) => {
    const person = await register(client, ctx.password, `${ctx.runId}-${region.key}-lab${i}`, `Delegate of ${lab.name} (${poolRole(i).role})`.slice(0, 100));
    await client.post(`/fab-units/${lab.id}/operators`, { accountId: person.accountId }, { token });
    await client.post(`/councils/${council.id}/members`, { accountId: person.accountId, role: 'fab_unit_delegate' }, { token });
    await client.post(`/councils/${council.id}/fab-units`, { fabUnitId: lab.id }, { token });
    bar.increment();
    return person;
  });
  const community = await mapLimit(Array.from({ length: COMMUNITY }, (_, i) => i), 4, async (i) => {
    const person = await register(client, ctx.password, `${ctx.runId}-${region.key}-member${i}`, personName(region.key, i));
    await client.post(`/councils/${council.id}/members`, { accountId: person.accountId, role: 'community' }, { token });
    bar.increment();
    return person;
  });
  bar.stop();

  const now = Date.now();
  // From the next full hour: the round allocates time still to come when the jobs are reserved.
  const periodFrom = new Date(Math.ceil(now / 3_600_000) * 3_600_000 + 3_600_000);
  const periodTo = new Date(periodFrom.getTime() + PERIOD_DAYS * 86_400_000);
  const needBy = new Date(periodFrom.getTime() + NEED_BY_DAYS * 86_400_000);
  const round = (
    await client.post<RoundView>(
      `/councils/${council.id}/rounds`,
      {
        title: `Week of ${periodFrom.toISOString().slice(0, 10)}`,
        periodFrom: periodFrom.toISOString(),
        periodTo: periodTo.toISOString(),
        closesAt: new Date(now + 3 * 3_600_000).toISOString(),
      },
      { token },
    )
  ).body;

  // Each machine's free time in the period: a funded step is reserved on one of them, whole.
  await mapLimit(labs, 4, async (lab) => {
    const capacity = (await client.get<CapacityView>(`/fab-units/${lab.id}/capacity?from=${encodeURIComponent(round.periodFrom)}&to=${encodeURIComponent(round.periodTo)}`)).body;
    for (const m of capacity.machines) {
      if (!lab.processes.includes(m.process)) continue;
      lab.freeMinutes[m.process] = Math.max(lab.freeMinutes[m.process] ?? 0, m.freeMinutes);
    }
  });

  const planned = planRequests({
    regionKey: region.key,
    templates: region.templates,
    designs,
    labs,
    budgetMinutes: round.budget.machineMinutes,
    seed: ctx.seed,
    communityMembers: community.length,
  });

  const requests: RequestFact[] = [];
  const requesters = new Map<string, Person>();
  const rbar = ctx.progress(`requests, ${region.key}`, planned.length);
  for (const p of planned) {
    const requester = community[p.requester]!;
    const requesterToken = await tokenOf(ctx, requester);
    const fact: RequestFact = {
      key: p.key,
      label: p.label,
      design: p.design,
      purpose: p.purpose,
      quantity: p.quantity,
      requester: requester.displayName,
      id: null,
      plannedUnits: [],
      candidate: false,
      minutes: p.minutes,
    };
    const created = await client.call<ProductionRequestView & { detail?: string }>('POST', '/production-requests', {
      token: requesterToken,
      body: { designVersionId: p.designVersionId, quantity: p.quantity, delivery: p.delivery, needBy: needBy.toISOString(), purpose: p.purpose },
      headers: { 'idempotency-key': `${ctx.runId}-${p.key}` },
      accept: [200, 201, 422],
    });
    if (created.status === 422) {
      fact.refusal = created.body.detail ?? 'no fab unit can make it';
    } else {
      fact.id = created.body.id;
      fact.plannedUnits = created.body.plan?.fabUnitIds ?? [];
      fact.minutes = created.body.costVector?.machineMinutes ?? p.minutes;
      requesters.set(created.body.id, requester);
      const added = await client.call<CandidateView & { detail?: string }>('POST', `/rounds/${round.id}/candidates`, {
        token: requesterToken,
        body: { productionRequestId: created.body.id },
        accept: [201, 409, 422],
      });
      if (added.status === 201) fact.candidate = true;
      else fact.candidateRefusal = added.body.detail ?? `answered ${added.status}`;
    }
    requests.push(fact);
    rbar.increment();
  }
  rbar.stop();

  // Ballots, keyed by the stable keys of members and requests.
  const candidates = requests.filter((r) => r.candidate);
  const idOf = new Map(candidates.map((r) => [r.key, r.id!]));
  const labOfRequest = new Map(planned.map((p) => [p.key, p.targetLabId]));
  const members: VotingMember[] = [
    ...delegates.map((_, i) => ({ key: `${region.key}-lab${i}`, role: 'fab_unit_delegate' as const, labId: labs[i]!.id })),
    ...community.map((_, i) => ({ key: `${region.key}-member${i}`, role: 'community' as const, index: i })),
  ];
  const people = new Map<string, Person>([
    ...delegates.map((p, i) => [`${region.key}-lab${i}`, p] as const),
    ...community.map((p, i) => [`${region.key}-member${i}`, p] as const),
  ]);
  const requesterIndex = new Map(planned.map((p) => [p.key, p.requester]));
  const ballots = planBallots(
    members,
    candidates.map((c) => ({ key: c.key, requester: requesterIndex.get(c.key)!, labId: labOfRequest.get(c.key)! })),
    ctx.seed,
  ).filter((b) => b.approvals.length > 0);
  const bbar = ctx.progress(`ballots, ${region.key}`, ballots.length);
  await mapLimit(ballots, 4, async (b) => {
    const voter = people.get(b.member)!;
    await client.put(`/rounds/${round.id}/ballot`, { approvals: b.approvals.map((k) => idOf.get(k)!) }, { token: await tokenOf(ctx, voter) });
    bbar.increment();
  });
  bbar.stop();

  const result = (await client.post<RoundResultView>(`/rounds/${round.id}/close`, undefined, { token })).body;
  return {
    fact: {
      region: region.key,
      name: council.name,
      councilId: council.id,
      roundId: round.id,
      poolUnitIds: labs.map((l) => l.id),
      machinesPerProcess,
      delegates: delegates.length,
      community: community.length,
      periodFrom: round.periodFrom,
      periodTo: round.periodTo,
      needBy: needBy.toISOString(),
      budget: round.budget,
      requests,
      ballots: ballots.length,
      result,
    },
    requesters,
    labs,
  };
}
