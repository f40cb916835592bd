import { Rational } from '#libs/tally/src/rational.js';
import type { DemoFacts } from './facts.js';

/**
 * What the demo proves about the run it made: the council never funds more than its pool,
 * production never books a machine twice or holds stock it does not have, and every job the
 * round caused is accounted for, once. The demo exits 0 only when every check holds.
 */
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

const num = (text: string) => Rational.fromDecimalString(text);
const TERMINAL_JOB = new Set(['completed', 'failed', 'cancelled', 'declined']);

export function runChecks(facts: DemoFacts): Check[] {
  const checks: Check[] = [];
  const check = (name: string, problems: string[], ok: string) =>
    checks.push({ name, ok: problems.length === 0, detail: problems.length ? problems.slice(0, 6).join('; ') + (problems.length > 6 ? `; … ${problems.length - 6} more` : '') : ok });

  // 1. The tally adds up and stays within the budget, in money and in every resource.
  {
    const problems: string[] = [];
    for (const c of facts.councils) {
      const r = c.result;
      const candidates = c.requests.filter((q) => q.candidate).length;
      const funded = r.candidates.filter((x) => x.funded);
      if (r.candidates.length !== candidates) problems.push(`${c.region}: ${candidates} candidates added, ${r.candidates.length} counted`);
      if (funded.length + r.candidates.filter((x) => !x.funded).length !== r.candidates.length) problems.push(`${c.region}: funded + unfunded ≠ candidates`);
      if (funded.map((x) => x.productionRequestId).sort().join() !== [...r.funded].sort().join()) problems.push(`${c.region}: the funded list and the candidates marked funded differ`);
      const cost = Rational.sum(funded.map((x) => num(x.cost)));
      if (!cost.equals(num(r.cost))) problems.push(`${c.region}: funded costs sum to ${cost.toDecimalString() ?? cost} but the result says ${r.cost}`);
      if (cost.gt(num(c.budget.money))) problems.push(`${c.region}: funded ${cost.toDecimalString()} > budget ${c.budget.money}`);
      if (r.candidates.some((x) => !x.reason)) problems.push(`${c.region}: a candidate has no reason`);
    }
    const amount = (text: string) => num(text).toFixed(2);
    check('the tally adds up and funds no more than the budget', problems, `${facts.councils.map((c) => `${c.region}: ${amount(c.result.cost)} of ${amount(c.budget.money)} credits`).join(', ')}`);
  }
  {
    const problems: string[] = [];
    for (const c of facts.councils) {
      const used: Record<string, Rational> = {};
      for (const x of c.result.candidates.filter((y) => y.funded)) {
        for (const [resource, amount] of Object.entries(x.resources)) used[resource] = (used[resource] ?? Rational.ZERO).add(num(amount));
      }
      for (const [resource, amount] of Object.entries(used)) {
        const limit = c.budget.limits[resource];
        if (limit === undefined) problems.push(`${c.region}: funded needs ${resource}, which the pool does not have`);
        else if (amount.gt(num(limit))) problems.push(`${c.region}: ${resource} funded ${amount.toDecimalString()} > pooled ${limit}`);
      }
    }
    check('funded needs fit every pooled resource', problems, 'machine minutes and materials within the pool');
  }

  // 2. Production applied every decision: each funded request was placed, whole steps on machines
  // of its round's pool inside the round's period (never failed for want of room); the others are unfunded.
  const jobsOf = new Map<string, DemoFacts['jobs']>();
  for (const j of facts.jobs) jobsOf.set(j.requestId, [...(jobsOf.get(j.requestId) ?? []), j]);
  const councilOf = new Map<string, (typeof facts.councils)[number]>();
  for (const c of facts.councils) for (const r of c.requests) if (r.id) councilOf.set(r.id, c);
  const outside = (c: (typeof facts.councils)[number], j: DemoFacts['jobs'][number]) => {
    if (!c.poolUnitIds.includes(j.fabUnitId)) return `at ${facts.units[j.fabUnitId] ?? j.fabUnitId}, outside the pool`;
    if (!j.reserved) return 'with no reservation';
    if (Date.parse(j.reserved.start) < Date.parse(c.periodFrom) || Date.parse(j.reserved.end) > Date.parse(c.periodTo)) {
      return `reserved ${j.reserved.start} → ${j.reserved.end}, outside the round's period`;
    }
    return null;
  };
  {
    const problems: string[] = [];
    let moved = 0;
    for (const c of facts.councils) {
      const funded = new Set(c.result.funded);
      for (const r of c.requests.filter((q) => q.candidate)) {
        if (funded.has(r.id!)) {
          const first = (jobsOf.get(r.id!) ?? []).filter((j) => j.attempt === 0);
          if (r.stateAfterRound !== 'funded') problems.push(`${r.label} was funded but production made it ${r.stateAfterRound}${r.reason ? ` (${r.reason})` : ''}`);
          else if (!first.length) problems.push(`${r.label} was funded but has no job`);
          for (const j of first) {
            const where = outside(c, j);
            if (where) problems.push(`${r.label}: step ${j.stepIndex + 1} ${where}`);
            if (!r.plannedUnits.includes(j.fabUnitId)) moved++;
          }
        } else if (r.stateAfterRound !== 'unfunded') problems.push(`${r.label} was not funded but is ${r.stateAfterRound}`);
      }
    }
    const funded = facts.councils.reduce((n, c) => n + c.result.funded.length, 0);
    check(
      'every funded request was placed in its pool and period, every other one is unfunded',
      problems,
      `${funded} funded request${funded === 1 ? '' : 's'} placed${moved ? `, ${moved} step${moved === 1 ? '' : 's'} on another lab of the pool than planned (its machine was full)` : ''}`,
    );
  }

  // 3. Nothing over-committed: reservations within the pooled hours, no machine booked twice, no stock held beyond what is there.
  const councilOfJob = new Map<string, (typeof facts.councils)[number]>();
  for (const c of facts.councils) {
    const ids = new Set(c.requests.map((r) => r.id));
    for (const j of facts.jobs) if (ids.has(j.requestId)) councilOfJob.set(j.id, c);
  }
  {
    const problems: string[] = [];
    for (const c of facts.councils) {
      const from = Date.parse(c.periodFrom);
      const to = Date.parse(c.periodTo);
      const inPeriod: Record<string, number> = {};
      for (const r of facts.reservations) {
        if (!r.key || councilOfJob.get(r.key) !== c) continue;
        const minutes = Math.max(0, Math.min(to, Date.parse(r.end)) - Math.max(from, Date.parse(r.start))) / 60_000;
        inPeriod[r.process] = (inPeriod[r.process] ?? 0) + minutes;
      }
      for (const [process, minutes] of Object.entries(inPeriod)) {
        const pooled = c.budget.machineMinutes[process] ?? 0;
        if (minutes > pooled + 1e-6) problems.push(`${c.region}: ${Math.round(minutes)} ${process} minutes reserved in the period, ${pooled} pooled`);
      }
    }
    check('reservations in the period stay within the pooled hours', problems, 'every process within its pooled minutes');
  }
  {
    const problems: string[] = [];
    const byMachine = new Map<string, DemoFacts['reservations']>();
    for (const r of facts.reservations) byMachine.set(r.machineId, [...(byMachine.get(r.machineId) ?? []), r]);
    for (const [machine, list] of byMachine) {
      const sorted = [...list].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
      for (let i = 1; i < sorted.length; i++) {
        if (Date.parse(sorted[i]!.start) < Date.parse(sorted[i - 1]!.end)) problems.push(`machine ${machine}: ${sorted[i - 1]!.key} and ${sorted[i]!.key} overlap`);
      }
    }
    for (const s of facts.stock) {
      if (s.quantity !== null && s.held > s.quantity + 1e-9) problems.push(`unit ${s.fabUnitId}: ${s.held} ${s.material} held, ${s.quantity} in stock`);
    }
    check('no machine booked twice, no stock held beyond what is there', problems, `${facts.reservations.length} reservations on ${byMachine.size} machines, ${facts.stock.length} stocks`);
  }

  // 4. Every job is accounted for, once.
  {
    const by: Record<string, number> = {};
    for (const j of facts.jobs) by[j.state] = (by[j.state] ?? 0) + 1;
    const ended = ['completed', 'failed', 'cancelled', 'declined'].reduce((n, s) => n + (by[s] ?? 0), 0);
    const problems: string[] = [];
    if (ended !== facts.jobs.length) {
      problems.push(`${facts.jobs.length} jobs created, ${ended} ended (${Object.entries(by).map(([s, n]) => `${n} ${s}`).join(', ')})`);
    }
    const funded = new Set(facts.councils.flatMap((c) => c.result.funded));
    const open = facts.councils.flatMap((c) => c.requests).filter((r) => r.id && funded.has(r.id) && !['fulfilled', 'failed', 'cancelled'].includes(r.finalState ?? ''));
    for (const r of open) problems.push(`${r.label} is still ${r.finalState}`);
    check(
      'completed + failed + cancelled + declined = jobs created',
      problems,
      `${facts.jobs.length} = ${by.completed ?? 0} completed + ${by.failed ?? 0} failed + ${by.cancelled ?? 0} cancelled + ${by.declined ?? 0} declined`,
    );
  }
  {
    const problems: string[] = [];
    const seen = new Map<string, number>();
    for (const id of facts.connectors.taken) seen.set(id, (seen.get(id) ?? 0) + 1);
    for (const [id, n] of seen) if (n > 1) problems.push(`job ${id} was handed out ${n} times`);
    const ids = new Set<string>();
    for (const j of facts.jobs) {
      if (ids.has(j.id)) problems.push(`job ${j.id} listed twice`);
      ids.add(j.id);
      if (!TERMINAL_JOB.has(j.state)) problems.push(`job ${j.id} is still ${j.state}`);
      else if (j.state !== 'cancelled' && !seen.has(j.id)) problems.push(`job ${j.id} is ${j.state} but no connector took it`);
    }
    const live = new Map<string, number>();
    for (const j of facts.jobs) {
      if (j.state === 'declined' || j.state === 'cancelled') continue;
      const k = `${j.requestId}#${j.stepIndex + 1}`;
      live.set(k, (live.get(k) ?? 0) + 1);
    }
    for (const [k, n] of live) if (n > 1) problems.push(`step ${k} has ${n} jobs that were worked`);
    check('no job lost or doubled', problems, `${facts.connectors.taken.length} jobs handed out, each once`);
  }
  {
    const problems: string[] = [];
    for (const r of facts.councils.flatMap((c) => c.requests)) {
      const jobs = jobsOf.get(r.id ?? '') ?? [];
      if (!jobs.length) continue;
      const steps = new Set(jobs.map((j) => j.stepIndex));
      const done = [...steps].every((s) => jobs.some((j) => j.stepIndex === s && j.state === 'completed'));
      if (r.finalState === 'fulfilled' && !done) problems.push(`${r.label} is fulfilled but a step was not completed`);
      if (done && r.finalState !== 'fulfilled') problems.push(`${r.label}: every step completed but it is ${r.finalState}`);
      if (r.finalState === 'failed' && !jobs.some((j) => j.state === 'failed' || j.state === 'declined')) problems.push(`${r.label} failed with no failed or declined job`);
    }
    check('each request ends as its jobs did', problems, 'fulfilled exactly when every step was completed');
  }

  // 5. The declined job was rerouted to another lab of its council's pool, inside the round's period, and made there.
  {
    const d = facts.connectors.declined;
    const problems: string[] = [];
    const declined = d ? facts.jobs.find((j) => j.id === d.jobId) : undefined;
    const next = d ? facts.jobs.find((j) => j.reroutedFrom === d.jobId) : undefined;
    const c = declined ? councilOf.get(declined.requestId) : undefined;
    if (!d) problems.push('no job was declined (no funded single-step job had room on another lab of its pool)');
    else if (!next) problems.push(`job ${d.jobId} was declined and not rerouted`);
    else {
      if (next.fabUnitId === d.fabUnitId) problems.push(`job ${d.jobId} was rerouted to the same lab`);
      if (!c) problems.push(`job ${d.jobId} belongs to no council's request`);
      else {
        const where = outside(c, next);
        if (where) problems.push(`the rerouted job ${next.id} is ${where}`);
      }
      if (next.state !== 'completed') problems.push(`the rerouted job ${next.id} ended ${next.state}`);
    }
    check(
      'the declined job was rerouted inside its pool and period, and made there',
      problems,
      d && next ? `${facts.units[d.fabUnitId] ?? d.fabUnitId} → ${facts.units[next.fabUnitId] ?? next.fabUnitId}, both of the ${c?.region ?? '?'} pool` : '',
    );
  }

  // 6. Provenance names the design by its content hash, and its people.
  {
    const p = facts.provenance;
    const problems: string[] = [];
    if (!p) problems.push('no request was fulfilled, so there is no provenance to read');
    else {
      if (p.view.design.contentHash !== p.expectedContentHash) problems.push(`content hash ${p.view.design.contentHash} ≠ the design's ${p.expectedContentHash}`);
      const names = new Set(p.view.design.attribution.map((c) => c.name));
      const missing = p.expectedAttribution.filter((n) => !names.has(n));
      if (missing.length) problems.push(`attribution lacks ${missing.join(', ')}`);
      if (!p.view.materialsConsumed.length) problems.push('no material consumed is recorded');
    }
    check('the provenance of a finished item carries its design hash and attribution', problems, p ? `${p.requestLabel}: ${p.view.design.contentHash.slice(0, 16)}…, ${p.view.design.attribution.length} people credited` : '');
  }
  return checks;
}
