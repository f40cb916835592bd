import type { JobState } from '#libs/contracts/src/production/states.js';
import type { JobView, ProductionRequestView, ProvenanceView, TransitionView } from '#libs/contracts/src/production/views.js';
import { JOB_TRANSITIONS } from '../jobs/job-state.js';
import type { JobRow } from '../jobs/typeorm-jobs.repository.js';
import { REQUEST_TRANSITIONS } from '../requests/request-state.js';
import type { RequestRow } from '../requests/typeorm-requests.repository.js';
import { expandSteps } from './combined-steps.js';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function transitionView(t: Record<string, any>): TransitionView {
  return {
    from: t.from_state ?? null,
    to: t.to_state,
    action: t.action,
    actor: { kind: t.actor_kind, accountId: t.actor_account_id ?? null, apiKeyId: t.actor_api_key_id ?? null },
    detail: t.detail ?? null,
    at: iso(t.at)!,
  };
}

export function requestView(r: RequestRow, jobs: readonly JobRow[], transitions: readonly Record<string, any>[]): ProductionRequestView {
  return {
    id: r.id,
    requesterId: r.requester_id,
    designVersionId: r.design_version_id,
    title: r.title,
    quantity: r.quantity,
    delivery: { lat: r.lat, lon: r.lon },
    needBy: iso(r.need_by)!,
    purpose: r.purpose,
    mode: r.mode,
    fabUnitId: r.fab_unit_id,
    state: r.state,
    reason: r.reason,
    roundId: r.round_id,
    plan: r.plan,
    costVector: r.cost_vector,
    alternatives: r.alternatives ?? [],
    jobs: jobs.map((j) => ({ id: j.id, stepIndex: j.step_index, fabUnitId: j.fab_unit_id, state: j.state })),
    transitions: transitions.flatMap((t) => expandSteps(transitionView(t), REQUEST_TRANSITIONS)),
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

export function jobView(j: JobRow, r: Pick<RequestRow, 'design_version_id' | 'title' | 'quantity'>, transitions?: readonly Record<string, any>[]): JobView {
  return {
    id: j.id,
    requestId: j.request_id,
    designVersionId: r.design_version_id,
    title: r.title,
    quantity: r.quantity,
    stepIndex: j.step_index,
    attempt: j.attempt,
    fabUnitId: j.fab_unit_id,
    machineId: j.machine_id,
    process: j.process,
    material: j.material,
    minutes: j.minutes,
    materialQuantity: Number(j.material_quantity),
    materialUnit: j.material_unit,
    state: j.state as JobState,
    progress: j.progress,
    reason: j.reason,
    reservation: j.reservation
      ? {
          reservationIds: j.reservation.reservationIds ?? [],
          slots: j.reservation.slots ?? [],
          completion: j.reservation.completion,
          materialHoldId: j.reservation.materialHoldId ?? null,
        }
      : null,
    reroutedFrom: j.rerouted_from,
    queuedAt: iso(j.queued_at)!,
    acceptedAt: iso(j.accepted_at),
    startedAt: iso(j.started_at),
    finishedAt: iso(j.finished_at),
    ...(transitions ? { transitions: transitions.flatMap((t) => expandSteps(transitionView(t), JOB_TRANSITIONS)) } : {}),
  };
}

export function provenanceView(p: Record<string, any>): ProvenanceView {
  const d = p.design ?? {};
  return {
    jobId: p.job_id,
    requestId: p.request_id,
    design: {
      designVersionId: p.design_version_id,
      designId: d.designId ?? null,
      title: d.title ?? '',
      version: d.version ?? null,
      contentHash: d.contentHash ?? '',
      license: d.license ?? '',
      attribution: d.attribution ?? [],
    },
    fabUnitId: p.fab_unit_id,
    machineId: p.machine_id,
    process: p.process,
    quantity: p.quantity,
    materialsConsumed: (p.materials ?? []).map((x: { material: string; quantity: number | string; unit: string }) => ({
      material: x.material,
      quantity: Number(x.quantity),
      unit: x.unit,
    })),
    acceptedAt: iso(p.accepted_at),
    startedAt: iso(p.started_at),
    completedAt: iso(p.completed_at)!,
    recordedAt: iso(p.recorded_at)!,
  };
}
