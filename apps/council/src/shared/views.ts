import type { CandidateView, CouncilView, MemberView, MotionView, RoundView } from '#libs/contracts/src/council/index.js';
import type { CouncilEntity, CouncilFabUnitEntity, MemberEntity } from '../councils/council.entity.js';
import type { MotionEntity } from '../motions/motion.entity.js';
import type { CandidateEntity, RoundEntity } from '../rounds/round.entity.js';

export function memberView(m: MemberEntity): MemberView {
  return { id: m.id, councilId: m.councilId, accountId: m.accountId, role: m.role, admittedAt: m.admittedAt.toISOString() };
}

export function councilView(c: CouncilEntity, members: MemberEntity[], units: CouncilFabUnitEntity[]): CouncilView {
  return {
    id: c.id,
    name: c.name,
    scope: c.scope,
    rules: c.rules,
    members: members.map(memberView),
    fabUnitIds: units.map((u) => u.fabUnitId),
    createdAt: c.createdAt.toISOString(),
  };
}

export function motionView(m: MotionEntity): MotionView {
  return {
    id: m.id,
    councilId: m.councilId,
    title: m.title,
    description: m.description,
    kind: m.kind,
    threshold: m.threshold,
    quorum: m.quorum,
    options: m.options,
    defaultOption: m.defaultOption,
    majorityRatio: m.majorityRatio,
    action: m.action,
    state: m.state,
    closesAt: m.closesAt?.toISOString() ?? null,
    createdAt: m.createdAt.toISOString(),
    closedAt: m.closedAt?.toISOString() ?? null,
  };
}

export function candidateView(c: CandidateEntity): CandidateView {
  return {
    roundId: c.roundId,
    productionRequestId: c.productionRequestId,
    title: c.title,
    purpose: c.purpose,
    requesterId: c.requesterId,
    fabUnitIds: c.fabUnitIds,
    costVector: c.costVector,
    cost: c.cost,
    resources: c.resources,
    addedAt: c.addedAt.toISOString(),
  };
}

export function roundView(r: RoundEntity, candidates: CandidateEntity[], ballots: number): RoundView {
  return {
    id: r.id,
    councilId: r.councilId,
    title: r.title,
    state: r.state,
    periodFrom: r.periodFrom.toISOString(),
    periodTo: r.periodTo.toISOString(),
    opensAt: r.opensAt.toISOString(),
    closesAt: r.closesAt.toISOString(),
    rules: r.rules,
    budget: r.budget,
    candidates: candidates.map(candidateView),
    ballots,
    createdAt: r.createdAt.toISOString(),
    closedAt: r.closedAt?.toISOString() ?? null,
  };
}
