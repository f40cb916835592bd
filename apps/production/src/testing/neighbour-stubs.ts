import { randomUUID } from 'node:crypto';
import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { AppConfig } from '#libs/config/src/index.js';
import type { ManufacturingStep } from '#libs/contracts/src/commons/design-version.js';
import { COMMONS_PATTERNS, type DesignVersionForManufacturing } from '#libs/contracts/src/commons/messages.js';
import type { MatchCandidate, MatchExclusion, MatchResult } from '#libs/contracts/src/fabrication/matching.js';
import { FABRICATION_PATTERNS, type MatchQuery, type PlaceReservation, type PlacedReservation } from '#libs/contracts/src/fabrication/messages.js';
import {
  type AuthzAnswer,
  authzPattern,
  type AuthzQuery,
  conflict,
  NamespacedServerRedis,
  notFound,
  redisConnectionOptions,
} from '#libs/contracts/src/index.js';
import { RpcProblemFilter } from '#libs/platform/src/index.js';

/**
 * Test double of the commons and fabrication handlers production calls, for e2e tests and the
 * queue benchmark, so that they run while those services are being built and with capacity set
 * exactly. It answers on the real transport (Redis, the run's namespace): production's calls,
 * timeouts and problem details are the real ones; only the neighbours' data is scripted.
 * Start the system WITHOUT commons and fabrication when using it.
 */
export interface StubUnit {
  id: string;
  name: string;
  /** Account ids of its operators. */
  operators: string[];
  /** One machine per process it can run (created on demand). */
  machines: Map<string, string>;
  distanceKm: number;
  /** When false the unit is excluded from every match. */
  capable: boolean;
  /** When true every reservation there is refused (409). */
  refuseReservations: boolean;
}

export interface NeighbourState {
  designs: Map<string, DesignVersionForManufacturing>;
  units: Map<string, StubUnit>;
  /** Placed reservations by key (idempotent, like fabrication's). */
  reservations: Map<string, PlacedReservation & { placement: PlaceReservation }>;
  placeCalls: number;
  matchCalls: number;
}

export function newNeighbourState(): NeighbourState {
  return { designs: new Map(), units: new Map(), reservations: new Map(), placeCalls: 0, matchCalls: 0 };
}

export function addStubUnit(state: NeighbourState, unit: Partial<StubUnit> & { operators?: string[] } = {}): StubUnit {
  const u: StubUnit = {
    id: unit.id ?? randomUUID(),
    name: unit.name ?? `Unit ${state.units.size + 1}`,
    operators: unit.operators ?? [],
    machines: unit.machines ?? new Map(),
    distanceKm: unit.distanceKm ?? state.units.size + 1,
    capable: unit.capable ?? true,
    refuseReservations: unit.refuseReservations ?? false,
  };
  state.units.set(u.id, u);
  return u;
}

export function addStubDesign(state: NeighbourState, steps: ManufacturingStep[] = [DEFAULT_STEP], title = 'Valve handle'): DesignVersionForManufacturing {
  const id = randomUUID();
  const design: DesignVersionForManufacturing = {
    designVersionId: id,
    designId: randomUUID(),
    slug: 'valve-handle',
    version: '1.0.0',
    contentHash: `sha256:${id.replace(/-/g, '')}`,
    title,
    license: 'CERN-OHL-S-2.0',
    requirements: steps,
    attribution: [{ name: 'Ada Designer', role: 'author' }, { name: 'Grace Forker', role: 'upstream author' }],
  };
  state.designs.set(id, design);
  return design;
}

export const DEFAULT_STEP: ManufacturingStep = {
  process: '3d-printing.fdm',
  material: 'pla',
  machineMinutesPerUnit: 30,
  materialQuantityPerUnit: 25,
  materialUnit: 'g',
};

export function stubMatch(state: NeighbourState, q: MatchQuery): MatchResult {
  const design = state.designs.get(q.designVersionId);
  if (!design) throw notFound('design version', q.designVersionId);
  const start = new Date(Date.now() + 3600_000);
  const candidates: MatchCandidate[] = [];
  const exclusions: MatchExclusion[] = [];
  const units = [...state.units.values()]
    .filter((u) => !q.fabUnitIds || q.fabUnitIds.includes(u.id))
    .sort((a, b) => a.distanceKm - b.distanceKm);
  for (const u of units) {
    if (!u.capable) {
      exclusions.push({ unitId: u.id, unitName: u.name, distanceKm: u.distanceKm, rule: 'process', stepIndex: 0, reason: `no machine for ${design.requirements[0]?.process}` });
      continue;
    }
    let t = start.getTime();
    const steps = design.requirements.map((s, stepIndex) => {
      let machineId = u.machines.get(s.process);
      if (!machineId) {
        machineId = randomUUID();
        u.machines.set(s.process, machineId);
      }
      const minutes = Math.ceil(s.machineMinutesPerUnit * q.quantity);
      const slotStart = new Date(t).toISOString();
      t += minutes * 60_000;
      const completion = new Date(t).toISOString();
      return { stepIndex, process: s.process, material: s.material, machineId, machineProcess: s.process, minutes, slots: [{ start: slotStart, end: completion }], start: slotStart, completion };
    });
    const machineMinutes: Record<string, number> = {};
    const materials: Record<string, { quantity: number; unit: string }> = {};
    for (const s of design.requirements) {
      machineMinutes[s.process] = (machineMinutes[s.process] ?? 0) + Math.ceil(s.machineMinutesPerUnit * q.quantity);
      materials[s.material] = { quantity: (materials[s.material]?.quantity ?? 0) + s.materialQuantityPerUnit * q.quantity, unit: s.materialUnit };
    }
    candidates.push({
      split: false,
      unitId: u.id,
      unitName: u.name,
      distanceKm: u.distanceKm,
      completion: steps[steps.length - 1]!.completion,
      successfulBuilds: 0,
      steps,
      cost: { machineMinutes, materials },
    });
  }
  return {
    quantity: q.quantity,
    needBy: q.needBy,
    location: { lat: q.lat, lon: q.lon },
    maxDistanceKm: q.maxDistanceKm ?? 100,
    demand: candidates[0]?.cost ?? { machineMinutes: {}, materials: {} },
    candidates,
    splitPlans: [],
    exclusions,
    counts: { units: units.length, matched: candidates.length, excluded: exclusions.length, explained: exclusions.length },
  };
}

export async function startNeighbourStubs(config: AppConfig, state: NeighbourState): Promise<INestMicroservice> {
  @Controller()
  class CommonsStub {
    @MessagePattern(COMMONS_PATTERNS.versionForManufacturing)
    version(@Payload('data') d: { designVersionId: string }): DesignVersionForManufacturing {
      const v = state.designs.get(d.designVersionId);
      if (!v) throw notFound('design version', d.designVersionId);
      return v;
    }
  }

  @Controller()
  class FabricationStub {
    @MessagePattern(authzPattern('fabrication'))
    authz(@Payload('data') q: AuthzQuery): AuthzAnswer {
      const unit = state.units.get(q.id);
      if (!unit || q.resource !== 'fab-unit') return 'not_found';
      if (q.actor.kind === 'machine') return q.actor.fabUnitId === unit.id ? 'allowed' : 'forbidden';
      return unit.operators.includes(q.actor.accountId) ? 'allowed' : 'forbidden';
    }

    @MessagePattern(FABRICATION_PATTERNS.matchesFind)
    match(@Payload('data') q: MatchQuery): MatchResult {
      state.matchCalls++;
      return stubMatch(state, q);
    }

    @MessagePattern(FABRICATION_PATTERNS.reservationsPlace)
    place(@Payload('data') p: PlaceReservation): PlacedReservation {
      state.placeCalls++;
      const known = state.reservations.get(p.key);
      if (known) return known;
      const unit = state.units.get(p.fabUnitId);
      if (!unit) throw notFound('fab unit', p.fabUnitId);
      if (unit.refuseReservations) throw conflict(`${unit.name} has no free slot for ${p.minutes} min of ${p.process} before ${p.needBy}`);
      const start = new Date(Math.max(Date.now(), Date.parse(p.notBefore)));
      const end = new Date(start.getTime() + p.minutes * 60_000);
      const placed: PlacedReservation = {
        key: p.key,
        reservationIds: [randomUUID()],
        fabUnitId: p.fabUnitId,
        machineId: p.machineId ?? randomUUID(),
        slots: [{ start: start.toISOString(), end: end.toISOString() }],
        completion: end.toISOString(),
        materialHoldId: randomUUID(),
      };
      state.reservations.set(p.key, { ...placed, placement: p });
      return placed;
    }
  }

  @Module({ controllers: [CommonsStub, FabricationStub] })
  class NeighbourStubsModule {}

  const app = await NestFactory.createMicroservice(NeighbourStubsModule, {
    strategy: new NamespacedServerRedis(config.namespace, { ...redisConnectionOptions(config.redisUrl), retryAttempts: 1000, retryDelay: 200 }),
    logger: false,
  });
  app.useGlobalFilters(new RpcProblemFilter());
  await app.listen();
  return app;
}
