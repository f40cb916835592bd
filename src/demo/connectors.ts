import type { CapacityView, FabUnitView, ReservationView } from '#libs/contracts/src/fabrication/views.js';
import type { JobView, ProductionRequestView, ProvenanceView } from '#libs/contracts/src/production/views.js';
import { convertQuantity } from '#libs/taxonomy/src/index.js';
import { tokenOf } from './accounts.js';
import type { DemoContext } from './context.js';
import type { CouncilRun } from './councils.js';
import { ApiError, mapLimit, sleep } from './demo-client.js';
import type { ConnectorFact, DesignFact, JobFact, ProvenanceFact, ReservationFact, StockFact } from './facts.js';
import { rngFor, seededOrder } from '#libs/testing/src/prng.js';

const TERMINAL_REQUEST = new Set(['fulfilled', 'failed', 'cancelled', 'unfunded']);
const SINGLE_STEP = new Set(['crutch-tip', 'solar-bracket']);

/**
 * Step 5a: the round's decisions travel from the council to production through the outbox
 * and BullMQ; each funded request then has jobs with reservations. Polls every candidate until
 * production has decided it, and names the ones that never were when the deadline passes.
 */
export async function awaitDecisions(ctx: DemoContext, runs: readonly CouncilRun[], deadlineMs: number): Promise<void> {
  const pending = runs.flatMap((run) => run.fact.requests.filter((r) => r.candidate));
  const bar = ctx.progress('decisions reaching production', pending.length);
  const until = Date.now() + deadlineMs;
  let left = pending;
  while (left.length) {
    const views = await mapLimit(left, 8, async (r) => (await ctx.client.get<ProductionRequestView>(`/production-requests/${r.id}`, { token: ctx.admin.token })).body);
    const still: typeof left = [];
    views.forEach((v, i) => {
      const r = left[i]!;
      if (v.state === 'submitted' || v.state === 'in_allocation') still.push(r);
      else {
        r.stateAfterRound = v.state;
        r.reason = v.reason;
        bar.increment();
      }
    });
    left = still;
    if (!left.length) break;
    if (Date.now() > until) {
      bar.stop();
      throw new Error(
        `the round's decisions did not reach production within ${Math.round(deadlineMs / 1000)} s: ${left.length} request(s) still undecided ` +
          `(${left.slice(0, 5).map((r) => `${r.label} ${r.id}`).join(', ')}${left.length > 5 ? ', …' : ''}). Is the production service running and its queue worker alive?`,
      );
    }
    await sleep(250);
  }
  bar.stop();
}

/** Reservations and stock at every pooled lab once the funded requests are reserved (the over-commitment checks read them). */
export async function snapshotPool(ctx: DemoContext, runs: readonly CouncilRun[]): Promise<{ reservations: ReservationFact[]; stock: StockFact[] }> {
  const units = runs.flatMap((run) => run.fact.poolUnitIds.map((id) => ({ id, from: run.fact.periodFrom, to: run.fact.needBy })));
  const reservations: ReservationFact[] = [];
  const stock: StockFact[] = [];
  await mapLimit(units, 6, async (u) => {
    const view = (await ctx.client.get<FabUnitView>(`/fab-units/${u.id}`)).body;
    const processOf = new Map(view.machines.map((m) => [m.id, m.process]));
    const from = new Date(Math.min(Date.now(), new Date(u.from).getTime())).toISOString();
    const list = (await ctx.client.get<ReservationView[]>(`/fab-units/${u.id}/reservations?from=${from}&to=${u.to}`, { token: ctx.admin.token })).body;
    for (const r of list) reservations.push({ fabUnitId: u.id, machineId: r.machineId, process: processOf.get(r.machineId) ?? '?', key: r.key, start: r.start, end: r.end });
    for (const m of view.materials) stock.push({ fabUnitId: u.id, material: m.material, quantity: m.quantity, held: m.held });
  });
  return { reservations, stock };
}

type Action =
  | { kind: 'complete' }
  | { kind: 'decline'; reason: string }
  | { kind: 'fail-accepted'; reason: string }
  | { kind: 'fail-running'; reason: string; at: number };

const FAILURES: Record<string, string[]> = {
  'crutch-tip': ['Warped off the bed beyond tolerance', 'The PETG spool was wet: layers delaminate'],
  'sensor-enclosure': ['The plywood batch is warped: finger joints do not close', 'Laser tube lost power mid-job'],
  'solar-bracket': ['End mill broke in the pocket; the part is scrap', 'Stock had an inclusion: bracket cracked at the bolt hole'],
  'pump-controller-pcb': ['Boards failed the continuity test', 'Wrong relay footprint: boards cannot be fitted'],
};

/**
 * Step 5b: simulated machine connectors, one per pooled lab with an API key of that lab, work
 * their queues through the HTTP API: take the next job (accepted), start, report progress,
 * complete. A seeded few jobs fail, and exactly one is declined and must come back rerouted
 * to another lab of its council's pool, inside the round's period. Jobs of earlier runs found
 * in a queue are finished too (and counted apart).
 */
export async function runConnectors(ctx: DemoContext, runs: readonly CouncilRun[], deadlineMs: number): Promise<ConnectorFact> {
  const requests = runs.flatMap((run) => run.fact.requests.filter((r) => r.id && r.stateAfterRound === 'funded'));
  const runRequestIds = new Set(runs.flatMap((run) => run.fact.requests.filter((r) => r.id).map((r) => r.id!)));
  const views = new Map<string, ProductionRequestView>();
  await mapLimit(requests, 8, async (r) => views.set(r.id!, (await ctx.client.get<ProductionRequestView>(`/production-requests/${r.id}`, { token: ctx.admin.token })).body));

  // The script, by stable request keys: one decline (a single-step job another lab of its pool
  // has the machine time and stock for, in the period: where production must reroute it), and
  // a few failures.
  const script = new Map<string, Action>();
  const ordered = seededOrder(requests, (r) => r.key, ctx.seed, 'connector-script');
  const room = roomInPools(ctx, runs);
  let declineOn: (typeof requests)[number] | undefined;
  for (const r of ordered) {
    const v = views.get(r.id!)!;
    if (!SINGLE_STEP.has(r.design) || v.jobs.length !== 1) continue;
    const job = (await ctx.client.get<JobView>(`/jobs/${v.jobs[0]!.id}`, { token: ctx.admin.token })).body;
    if (await room(r.id!, job)) {
      declineOn = r;
      break;
    }
  }
  if (declineOn) script.set(views.get(declineOn.id!)!.jobs[0]!.id, { kind: 'decline', reason: 'Our only machine for this is down for maintenance this week' });
  const failing = ordered.filter((r) => r !== declineOn && rngFor(ctx.seed, 'fails', r.key).chance(0.15));
  if (failing.length === 0) {
    const first = ordered.find((r) => r !== declineOn);
    if (first) failing.push(first);
  }
  for (const r of failing) {
    const v = views.get(r.id!)!;
    const rng = rngFor(ctx.seed, 'failure', r.key);
    const reason = rng.pick(FAILURES[r.design] ?? ['The job failed']);
    const job = v.jobs[v.jobs.length - 1]!;
    script.set(job.id, rng.chance(0.5) ? { kind: 'fail-accepted', reason } : { kind: 'fail-running', reason, at: rng.pick([30, 60, 90]) });
  }

  // Every lab of the pools: a declined job is rerouted to another of them.
  const units = [...new Set(runs.flatMap((run) => run.fact.poolUnitIds))];
  const keys = await mapLimit(units, 6, async (id) => {
    const created = (await ctx.client.post<{ id: string; key: string }>(`/fab-units/${id}/api-keys`, { name: `demo connector ${ctx.runId}` }, { token: ctx.admin.token })).body;
    return { unitId: id, keyId: created.id, key: created.key };
  });

  const fact: ConnectorFact = { units: units.length, taken: [], leftovers: 0, declined: null, failed: [], cancelledWhileHeld: 0 };
  const total = [...views.values()].reduce((n, v) => n + v.jobs.length, 0);
  const bar = ctx.progress('connectors working jobs', total);
  let stop = false;
  let failure: unknown = null;
  const until = Date.now() + deadlineMs;

  const act = async (key: string, jobId: string, action: string, body?: unknown) => ctx.client.post<JobView>(`/jobs/${jobId}/${action}`, body, { apiKey: key });

  const work = async (job: JobView, key: string): Promise<void> => {
    if (!runRequestIds.has(job.requestId)) {
      fact.leftovers++;
      await act(key, job.id, 'start');
      await act(key, job.id, 'complete', { notes: `finished by the demo connector of run ${ctx.runId}` });
      return;
    }
    const action = script.get(job.id) ?? { kind: 'complete' };
    switch (action.kind) {
      case 'decline':
        await act(key, job.id, 'decline', { reason: action.reason });
        fact.declined = { jobId: job.id, fabUnitId: job.fabUnitId };
        bar.setTotal(total + 1);
        return;
      case 'fail-accepted':
        await act(key, job.id, 'fail', { reason: action.reason });
        fact.failed.push(job.id);
        return;
      case 'fail-running':
        await act(key, job.id, 'start');
        for (const percent of [30, 60, 90].filter((p) => p < action.at)) await act(key, job.id, 'progress', { percent });
        await act(key, job.id, 'fail', { reason: action.reason });
        fact.failed.push(job.id);
        return;
      default:
        await act(key, job.id, 'start');
        for (const percent of [25, 50, 75]) await act(key, job.id, 'progress', { percent, note: `${job.process}: ${percent} % of ${job.quantity}` });
        await act(key, job.id, 'complete', { notes: `${job.quantity} made, checked and packed` });
    }
  };

  const worker = async ({ unitId, key }: { unitId: string; key: string }) => {
    while (!stop) {
      const next = await ctx.client.call<JobView>('POST', `/fab-units/${unitId}/jobs/next`, { apiKey: key, accept: [200, 204] });
      if (next.status === 204) {
        await sleep(150);
        continue;
      }
      fact.taken.push(next.body.id);
      try {
        await work(next.body, key);
      } catch (error) {
        // The request failed meanwhile (another of its jobs did) and cancelled this one.
        if (error instanceof ApiError && error.status === 409 && typeof error.problem === 'object' && error.problem.currentState === 'cancelled') fact.cancelledWhileHeld++;
        else throw error;
      }
      bar.increment();
    }
  };

  const watcher = async () => {
    while (!stop) {
      const states = await mapLimit(requests, 8, async (r) => (await ctx.client.get<ProductionRequestView>(`/production-requests/${r.id}`, { token: ctx.admin.token })).body.state);
      if (states.every((s) => TERMINAL_REQUEST.has(s))) break;
      if (Date.now() > until) {
        const open = requests.map((r, i) => ({ r, state: states[i]! })).filter((x) => !TERMINAL_REQUEST.has(x.state));
        throw new Error(
          `the connectors did not finish within ${Math.round(deadlineMs / 1000)} s: ${open.length} funded request(s) still open ` +
            `(${open.slice(0, 5).map((x) => `${x.r.label} ${x.r.id} ${x.state}`).join(', ')}); is a job queued at a lab no connector serves?`,
        );
      }
      await sleep(300);
    }
  };

  try {
    await Promise.all([
      ...keys.map((k) =>
        worker(k).catch((error: unknown) => {
          failure ??= error;
          stop = true;
        }),
      ),
      watcher().then(
        () => void (stop = true),
        (error: unknown) => {
          failure ??= error;
          stop = true;
        },
      ),
    ]);
  } finally {
    bar.stop();
    // The keys were for this run only.
    await mapLimit(keys, 6, (k) => ctx.client.delete(`/fab-units/${k.unitId}/api-keys/${k.keyId}`, { token: ctx.admin.token }).catch(() => undefined));
  }
  if (failure) throw failure;
  return fact;
}

/**
 * Whether another lab of the request's pool has, in the round's period, a machine of the job's
 * process with its minutes free and the free stock of its material: the capacity of each pool
 * lab is read once.
 */
function roomInPools(ctx: DemoContext, runs: readonly CouncilRun[]): (requestId: string, job: JobView) => Promise<boolean> {
  const capacities = new Map<string, Promise<CapacityView>>();
  const capacity = (unitId: string, from: string, to: string) => {
    let hit = capacities.get(unitId);
    if (!hit) capacities.set(unitId, (hit = ctx.client.get<CapacityView>(`/fab-units/${unitId}/capacity?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`).then((a) => a.body)));
    return hit;
  };
  return async (requestId, job) => {
    const run = runs.find((x) => x.fact.requests.some((r) => r.id === requestId));
    if (!run) return false;
    for (const unitId of run.fact.poolUnitIds.filter((id) => id !== job.fabUnitId)) {
      const c = await capacity(unitId, run.fact.periodFrom, run.fact.periodTo);
      if (!c.machines.some((m) => m.process === job.process && m.freeMinutes >= job.minutes)) continue;
      if (job.materialQuantity <= 0) return true;
      const stock = c.materials[job.material];
      if (!stock) continue;
      try {
        if (convertQuantity(stock.quantity, stock.unit, job.materialUnit) >= job.materialQuantity) return true;
      } catch {
        // stocked in another dimension: not a lab that can take it
      }
    }
    return false;
  };
}

/** Step 6a: every request and job of the run as production finally tells it. */
export async function gatherJobs(ctx: DemoContext, runs: readonly CouncilRun[]): Promise<JobFact[]> {
  const requests = runs.flatMap((run) => run.fact.requests.filter((r) => r.id));
  const jobIds: string[] = [];
  await mapLimit(requests, 8, async (r) => {
    const v = (await ctx.client.get<ProductionRequestView>(`/production-requests/${r.id}`, { token: ctx.admin.token })).body;
    r.finalState = v.state;
    r.reason = v.reason;
    jobIds.push(...v.jobs.map((j) => j.id));
  });
  const jobs = await mapLimit(jobIds, 8, async (id) => (await ctx.client.get<JobView>(`/jobs/${id}`, { token: ctx.admin.token })).body);
  return jobs.map((j) => ({
    id: j.id,
    requestId: j.requestId,
    stepIndex: j.stepIndex,
    attempt: j.attempt,
    fabUnitId: j.fabUnitId,
    process: j.process,
    minutes: j.minutes,
    state: j.state,
    reroutedFrom: j.reroutedFrom,
    reason: j.reason,
    reserved: j.reservation?.slots.length ? { start: j.reservation.slots[0]!.start, end: j.reservation.slots[j.reservation.slots.length - 1]!.end } : null,
  }));
}

/** Step 6b: the provenance of one finished item, read as its requester. */
export async function oneProvenance(
  ctx: DemoContext,
  runs: readonly CouncilRun[],
  jobs: readonly JobFact[],
  designs: readonly DesignFact[],
  unitNames: Record<string, string>,
): Promise<ProvenanceFact | null> {
  for (const run of runs) {
    for (const r of run.fact.requests) {
      if (r.finalState !== 'fulfilled') continue;
      const job = jobs.find((j) => j.requestId === r.id && j.state === 'completed');
      if (!job) continue;
      const requester = run.requesters.get(r.id!)!;
      const view = (await ctx.client.get<ProvenanceView>(`/jobs/${job.id}/provenance`, { token: await tokenOf(ctx, requester) })).body;
      const design = designs.find((d) => d.key === r.design)!;
      return {
        view,
        expectedContentHash: design.contentHash!,
        expectedAttribution: design.attribution ?? [],
        requestLabel: r.label,
        fabUnitName: unitNames[view.fabUnitId] ?? view.fabUnitId,
      };
    }
  }
  return null;
}
