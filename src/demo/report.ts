import { Rational } from '#libs/tally/src/rational.js';
import type { Check } from './checks.js';
import type { CouncilFact, DemoFacts } from './facts.js';

/** Plain aligned text: columns padded to their widest cell, numbers right-aligned. */
export function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[], indent = '  '): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || /^(–|-?[\d,]+(\.\d+)?( %)?)$/.test(String(r[i]))));
  const widths = headers.map((h, i) => Math.max(width(h), ...cells.map((r) => width(r[i] ?? ''))));
  const line = (r: readonly string[]) =>
    indent + r.map((c, i) => (numeric[i] ? pad(c, widths[i]!, true) : i === r.length - 1 ? c : pad(c, widths[i]!, false))).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

const width = (s: string) => [...s].length;
const pad = (s: string, w: number, right: boolean) => (right ? ' '.repeat(Math.max(0, w - width(s))) + s : s + ' '.repeat(Math.max(0, w - width(s))));

export function formatNumber(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function clip(text: string, max: number): string {
  return width(text) <= max ? text : [...text].slice(0, max - 1).join('') + '…';
}

/** Exact council-unit text as a readable amount, to the hundredth ("1234.5" → "1,234.50", "1/3" → "0.33"). */
export function credits(text: string): string {
  return formatNumber(Rational.fromDecimalString(text).toNumber(), 2);
}

const hours = (minutes: number) => formatNumber(minutes / 60, 1);
const day = (iso: string) => iso.slice(0, 10);
const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;

export function renderReport(facts: DemoFacts, checks: readonly Check[]): string {
  const out: string[] = [];
  const unit = (id: string) => facts.units[id] ?? id;
  const total = facts.timings.reduce((s, t) => s + t.ms, 0);
  out.push(
    `Cosmolocal demo — run ${facts.runId}, seed ${facts.seed}, scale ${facts.scale}`,
    `against ${facts.baseUrl}${facts.startedSystem ? ' (started by the demo, stopped at the end)' : ' (already running)'}`,
    '',
  );

  out.push('1. Designs in the commons (POST /designs/import)', '');
  out.push(
    table(
      ['manifest', 'outcome', 'design', 'version', 'content hash'],
      facts.designs.map((d) => [d.file, d.outcome, d.title ? clip(d.title, 38) : '', d.version ?? '', d.contentHash ? `${d.contentHash.slice(0, 12)}…` : '']),
    ),
  );
  for (const d of facts.designs.filter((x) => x.outcome === 'refused')) out.push(`  ${d.file} was refused: ${clip(d.detail ?? '', 150)}`);
  out.push('');

  const o = facts.okw;
  out.push('2. Fab labs (POST /fab-units/import, then machines, stock and hours per lab)', '');
  out.push(
    `  ${o.file}: ${formatNumber(o.records)} records → ${formatNumber(o.created)} created, ${o.merged} merged, ${o.updated} updated, ` +
      `${formatNumber(o.unchanged)} unchanged${o.created === 0 ? ' (imported by an earlier run: a second import changes nothing)' : ''}; ` +
      `${o.flaggedNotLocatable} without coordinates (kept, never matched by distance)`,
  );
  const e = facts.equip;
  out.push(
    `  equipped ${e.selected} labs (${e.pooled} pooled by the councils, twin labs of each role: two machines of every process per pool): ` +
      `${e.newlyEquipped} newly, ${e.alreadyEquipped} already equipped by an earlier run`,
    '',
    table(
      ['process', 'machines'],
      Object.entries(e.machinesByProcess)
        .sort((a, b) => b[1] - a[1])
        .map(([p, n]) => [p, n]),
    ),
    '',
    table(
      ['opening hours', 'labs'],
      Object.entries(e.hours)
        .sort((a, b) => b[1] - a[1])
        .map(([h, n]) => [h, n]),
    ),
    '',
  );

  out.push('3. Councils, their requests and the round (Method of Equal Shares)', '');
  for (const c of facts.councils) out.push(...councilSection(c, unit, facts.jobs), '');

  out.push('4. Capacity used per process (hours)', '');
  const rows: (string | number)[][] = [];
  for (const c of facts.councils) {
    const processes = Object.keys(c.budget.machineMinutes).sort();
    const funded = new Set(c.result.funded);
    for (const p of processes) {
      const asked = c.requests.filter((r) => r.candidate).reduce((s, r) => s + (r.minutes[p] ?? 0), 0);
      const got = c.requests.filter((r) => r.id && funded.has(r.id)).reduce((s, r) => s + (r.minutes[p] ?? 0), 0);
      const pooled = c.budget.machineMinutes[p] ?? 0;
      if (!asked && !got) continue;
      rows.push([c.region, p, hours(pooled), hours(asked), hours(got), pooled ? `${formatNumber((100 * got) / pooled)} %` : '–']);
    }
  }
  out.push(table(['council', 'process', 'pooled', 'requested', 'funded', 'used'], rows), '');

  out.push('5. Production: jobs worked by the simulated machine connectors', '');
  const by: Record<string, number> = {};
  for (const j of facts.jobs) by[j.state] = (by[j.state] ?? 0) + 1;
  const requests = facts.councils.flatMap((c) => c.requests).filter((r) => r.finalState && r.stateAfterRound !== 'unfunded');
  const reqBy: Record<string, number> = {};
  for (const r of requests) reqBy[r.finalState!] = (reqBy[r.finalState!] ?? 0) + 1;
  out.push(
    table(
      ['jobs', 'count'],
      [['created', facts.jobs.length], ...(['completed', 'failed', 'cancelled', 'declined', 'queued', 'accepted', 'in_progress'] as const).filter((s) => by[s]).map((s) => [s, by[s]!] as [string, number])],
    ),
    '',
    `  funded requests: ${Object.entries(reqBy).map(([s, n]) => `${n} ${s}`).join(', ')}; ${facts.connectors.units} labs ran a connector` +
      (facts.connectors.leftovers ? `; ${facts.connectors.leftovers} job(s) left by earlier runs were finished too` : '') +
      (facts.connectors.cancelledWhileHeld ? `; ${facts.connectors.cancelledWhileHeld} cancelled while a connector held it` : ''),
  );
  const failedJobs = facts.jobs.filter((j) => j.state === 'failed');
  if (failedJobs.length) {
    const label = new Map(facts.councils.flatMap((c) => c.requests).map((r) => [r.id, r.label]));
    out.push('', table(['failed job of', 'lab', 'reason'], failedJobs.map((j) => [label.get(j.requestId) ?? j.requestId, clip(unit(j.fabUnitId), 40), j.reason ?? ''])));
  }
  const d = facts.connectors.declined;
  if (d) {
    const declined = facts.jobs.find((j) => j.id === d.jobId);
    const next = facts.jobs.find((j) => j.reroutedFrom === d.jobId);
    const reserved = next?.reserved ? `, reserved ${when(next.reserved.start)} → ${when(next.reserved.end)} inside the round's period,` : '';
    out.push(
      '',
      `  declined: job ${d.jobId.slice(0, 8)}… at ${unit(d.fabUnitId)} (“${declined?.reason ?? ''}”)`,
      `         → rerouted inside the pool to ${next ? `${unit(next.fabUnitId)}${reserved} and ${next.state} there` : 'nowhere'}`,
    );
  }
  out.push('');

  out.push('6. Provenance of one finished item (GET /jobs/{id}/provenance)', '');
  const p = facts.provenance;
  if (!p) out.push('  none: no request was fulfilled');
  else {
    const v = p.view;
    out.push(
      `  ${v.quantity} × ${v.design.title} ${v.design.version ?? ''} for “${p.requestLabel}”`,
      `  made at       ${p.fabUnitName}, ${v.process}, ${day(v.startedAt ?? v.completedAt)} → ${day(v.completedAt)}`,
      `  design        ${v.design.designVersionId} (content hash ${v.design.contentHash})`,
      `  license       ${v.design.license}`,
      `  attribution   ${v.design.attribution.map((c) => `${c.name}${c.role ? ` (${c.role})` : ''}`).join(', ')}`,
      `  materials     ${v.materialsConsumed.map((m) => `${formatNumber(m.quantity, 3)} ${m.unit} ${m.material}`).join(', ')}`,
      `  job           ${v.jobId}`,
    );
  }
  out.push('');

  out.push('7. Checks', '');
  for (const c of checks) out.push(`  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}${c.detail ? `: ${c.detail}` : ''}`);
  out.push('');
  out.push(`Time: ${facts.timings.map((t) => `${t.step} ${(t.ms / 1000).toFixed(1)} s`).join(', ')}; total ${(total / 1000).toFixed(1)} s`);
  const failed = checks.filter((c) => !c.ok);
  out.push(failed.length ? `${failed.length} of ${checks.length} checks FAILED: ${failed.map((c) => c.name).join('; ')}` : `All ${checks.length} checks hold.`);
  return out.join('\n') + '\n';
}

/** "2 machines of each process", or the count per process when they differ. */
function machines(perProcess: Record<string, number>): string {
  const counts = [...new Set(Object.values(perProcess))];
  if (counts.length === 0) return 'no machines';
  if (counts.length === 1) return `${counts[0]} machine${counts[0] === 1 ? '' : 's'} of each process`;
  return Object.entries(perProcess)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([p, n]) => `${n} ${p}`)
    .join(', ');
}

function councilSection(c: CouncilFact, unit: (id: string) => string, jobs: DemoFacts['jobs']): string[] {
  const out: string[] = [];
  const r = c.result;
  const byId = new Map(c.requests.filter((q) => q.id).map((q) => [q.id!, q]));
  const requested = r.candidates.reduce((s, x) => s.add(Rational.fromDecimalString(x.cost)), Rational.ZERO);
  out.push(
    `  ${c.name}`,
    `  ${c.poolUnitIds.length} labs pooled (${machines(c.machinesPerProcess)}); ${c.delegates} lab delegates and ${c.community} community members; ${r.ballots} ballots cast`,
    `  round ${c.roundId}: capacity of ${day(c.periodFrom)} → ${day(c.periodTo)}, budget ${credits(c.budget.money)} credits; ` +
      `${r.candidates.length} requests asked for ${credits(requested.toDecimalString() ?? requested.toString())} credits (needed by ${day(c.needBy)})`,
    `  rule: ${r.rule}`,
    '',
  );
  const funded = r.candidates.filter((x) => x.funded).sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  // Where production placed the steps: the planned lab, or (*) its twin when the planned machine was full.
  let movedAny = false;
  const madeAt = (q: CouncilFact['requests'][number] | undefined) => {
    if (!q) return '';
    const placed = [...new Set(jobs.filter((j) => j.requestId === q.id && j.attempt === 0).map((j) => j.fabUnitId))];
    if (!placed.length) return q.plannedUnits.map(unit).join(', ');
    const moved = placed.some((id) => !q.plannedUnits.includes(id));
    movedAny ||= moved;
    return `${moved ? '* ' : ''}${placed.map(unit).join(', ')}`;
  };
  out.push('  Funded, and why', '');
  out.push(
    table(
      ['#', 'request', 'qty', 'made at', 'votes', 'credits', 'why'],
      funded.map((x) => {
        const q = byId.get(x.productionRequestId);
        return [String(x.position ?? ''), q?.label ?? x.title, q?.quantity ?? 0, clip(madeAt(q), 32), x.votes, credits(x.cost), clip(x.reason, 90)];
      }),
    ),
    '',
  );
  if (movedAny) out.push("  * placed at another lab of the pool than planned: the planned lab's machine was full", '');
  const unfunded = r.candidates.filter((x) => !x.funded);
  out.push('  Not funded, and why', '');
  out.push(
    unfunded.length
      ? table(
          ['request', 'qty', 'votes', 'credits', 'why not'],
          unfunded.map((x) => {
            const q = byId.get(x.productionRequestId);
            return [q?.label ?? x.title, q?.quantity ?? 0, x.votes, credits(x.cost), clip(x.reason, 110)];
          }),
        )
      : '  (every request was funded)',
  );
  const outside = c.requests.filter((q) => !q.candidate);
  for (const q of outside) out.push(`  not on the ballot: ${q.label}: ${q.refusal ?? q.candidateRefusal ?? ''}`);
  out.push('', '  What was asked', '');
  out.push(table(['request', 'asked by', 'purpose'], c.requests.map((q) => [q.label, q.requester, clip(q.purpose, 110)])));
  return out;
}
