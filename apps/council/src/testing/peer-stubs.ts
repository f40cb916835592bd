import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { AppConfig } from '#libs/config/src/index.js';
import { FABRICATION_PATTERNS, type FabUnitSummary, type PooledCapacity } from '#libs/contracts/src/fabrication/index.js';
import {
  type AuthzAnswer,
  authzPattern,
  type AuthzQuery,
  conflict,
  NamespacedServerRedis,
  redisConnectionOptions,
  serviceUnavailable,
} from '#libs/contracts/src/index.js';
import { PRODUCTION_PATTERNS, type RequestForAllocation, type RequestOutcome } from '#libs/contracts/src/production/index.js';
import { RpcProblemFilter } from '#libs/platform/src/index.js';

/**
 * Test double of the fabrication and production services' transport handlers the council
 * calls, for e2e tests that need capacity and requests set exactly (pools of any size, requests
 * in any state or outside the pool, cost vectors the council cannot price), which the real
 * services only reach the long way round, if at all. It answers on the real transport (Redis,
 * the test's namespace), so the council's calls, timeouts and problem details are the real
 * ones; only the peers' data is scripted. Start the test system WITHOUT fabrication and
 * production when using it. The flows the real services can play are tested with them
 * (rounds-fabrication.e2e-spec.ts, rounds-production.e2e-spec.ts).
 */
export interface PeerState {
  units: Map<string, FabUnitSummary & { operators: string[] }>;
  /** Pool answered for any set of units: per unit, summed. */
  capacity: Map<string, { machineMinutes: Record<string, number>; materials: Record<string, { quantity: number; unit: string }> }>;
  requests: Map<string, RequestForAllocation>;
  enterAllocationCalls: { requestIds: string[]; roundId: string }[];
  /** What production says became of a request (requestsOutcomes), over what `requests` holds. */
  outcomes: Map<string, Partial<RequestOutcome>>;
  /** requestsOutcomes answers 503. */
  outcomesDown: boolean;
  councilMemberships: { fabUnitId: string; councilId: string; member: boolean }[];
}

export function newPeerState(): PeerState {
  return { units: new Map(), capacity: new Map(), requests: new Map(), enterAllocationCalls: [], outcomes: new Map(), outcomesDown: false, councilMemberships: [] };
}

export async function startPeerStubs(config: AppConfig, state: PeerState): Promise<INestMicroservice> {
  @Controller()
  class FabricationStub {
    @MessagePattern(authzPattern('fabrication'))
    authz(@Payload('data') q: AuthzQuery): AuthzAnswer {
      const unit = state.units.get(q.id);
      if (!unit) return 'not_found';
      return q.actor.accountId && unit.operators.includes(q.actor.accountId) ? 'allowed' : 'forbidden';
    }

    @MessagePattern(FABRICATION_PATTERNS.fabUnitsSummary)
    summary(@Payload('data') d: { ids: string[] }): FabUnitSummary[] {
      return d.ids.flatMap((id) => {
        const u = state.units.get(id);
        return u ? [{ id: u.id, name: u.name, status: u.status }] : [];
      });
    }

    @MessagePattern(FABRICATION_PATTERNS.fabUnitsSetCouncil)
    setCouncil(@Payload('data') d: { fabUnitId: string; councilId: string; member: boolean }) {
      state.councilMemberships.push(d);
      return { fabUnitId: d.fabUnitId, councilIds: [d.councilId] };
    }

    @MessagePattern(FABRICATION_PATTERNS.capacityPool)
    pool(@Payload('data') d: { fabUnitIds: string[]; from: string; to: string }): PooledCapacity {
      const machineMinutes: Record<string, number> = {};
      const materials: Record<string, { quantity: number; unit: string }> = {};
      for (const id of d.fabUnitIds) {
        const c = state.capacity.get(id);
        if (!c) continue;
        for (const [p, m] of Object.entries(c.machineMinutes)) machineMinutes[p] = (machineMinutes[p] ?? 0) + m;
        for (const [k, q] of Object.entries(c.materials)) materials[k] = { quantity: (materials[k]?.quantity ?? 0) + q.quantity, unit: q.unit };
      }
      return { from: d.from, to: d.to, fabUnitIds: d.fabUnitIds, machineMinutes, materials };
    }

  }

  @Controller()
  class ProductionStub {
    @MessagePattern(PRODUCTION_PATTERNS.requestsForAllocation)
    forAllocation(@Payload('data') d: { ids: string[] }): RequestForAllocation[] {
      return d.ids.flatMap((id) => (state.requests.has(id) ? [state.requests.get(id)!] : []));
    }

    @MessagePattern(PRODUCTION_PATTERNS.requestsOutcomes)
    outcomes(@Payload('data') d: { roundId: string; ids: string[] }): RequestOutcome[] {
      if (state.outcomesDown) throw serviceUnavailable('production is down (stub)');
      return d.ids.flatMap((id) => {
        const r = state.requests.get(id);
        if (!r) return [];
        return [{ id, state: r.state, reason: null, roundId: d.roundId, decision: null, updatedAt: new Date(0).toISOString(), ...state.outcomes.get(id) }];
      });
    }

    @MessagePattern(PRODUCTION_PATTERNS.requestsEnterAllocation)
    enter(@Payload('data') d: { requestIds: string[]; roundId: string }): null {
      for (const id of d.requestIds) {
        const r = state.requests.get(id);
        if (!r || r.state !== 'submitted') throw conflict(`request ${id} is ${r?.state ?? 'unknown'}`);
      }
      for (const id of d.requestIds) state.requests.get(id)!.state = 'in_allocation';
      state.enterAllocationCalls.push(d);
      return null;
    }
  }

  @Module({ controllers: [FabricationStub, ProductionStub] })
  class StubModule {}

  const app = await NestFactory.createMicroservice(StubModule, {
    strategy: new NamespacedServerRedis(config.namespace, { ...redisConnectionOptions(config.redisUrl) }),
    logger: false,
  });
  app.useGlobalFilters(new RpcProblemFilter());
  await app.listen();
  return app;
}
