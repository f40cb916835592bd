import { Inject, Injectable } from '@nestjs/common';
import { badRequest, unprocessable } from '#libs/contracts/src/index.js';
import type { MatchQueryDto } from '#libs/contracts/src/fabrication/dto.js';
import type { MatchResult } from '#libs/contracts/src/fabrication/matching.js';
import type { Closure, Interval } from '#libs/contracts/src/fabrication/schedule.js';
import { processWithDescendants } from '#libs/taxonomy/src/index.js';
import { Availability } from '../../../availability/availability.js';
import { CLOCK, type Clock } from '../../../availability/clock.js';
import { boundingBoxes } from '../../../fab-units/geo-sql.js';
import { DEFAULT_EXPLAIN_NEAREST, matchDesign } from '../../../matching/match-engine.js';
import type { MatchStock, MatchUnit } from '../../../matching/match-input.js';
import { validateMatchInput } from '../../../matching/match-input.js';
import { subtractIntervals } from '../../../schedule/free-time.js';
import { CANDIDATES_REPOSITORY, type CandidatesRepository } from '../../candidates.repository.js';
import { DesignRequirements } from '../../design-requirements.js';
import { LazyMatchMachine } from '../../lazy-match-machine.js';
import { UnitSnapshots } from '../../unit-snapshots.js';

export const DEFAULT_MAX_DISTANCE_KM = 100;
export const DEFAULT_CANDIDATES = 20;
const MAX_HORIZON_MS = 366 * 86_400_000;
/**
 * Nearest units fetched for explanations: the GiST `<->` order is planar in degrees (a degree
 * of longitude is half a degree of latitude at 60°), so twice what the engine explains, for
 * the engine to re-rank by great-circle distance.
 */
const NEAREST_FETCHED = 2 * DEFAULT_EXPLAIN_NEAREST;

/**
 * GET /matches and FABRICATION_PATTERNS.matchesFind. The database narrows, the pure engine
 * decides. One indexed call (fabrication.match_state) returns the Active units in range (a
 * box on the GiST point index), the nearest units of any kind (so the answer can say why
 * those were left out) with their versions, and for the units in range their free stock of
 * the required materials, their reservations before needBy and their builds of the design.
 * What units and machines are (the rarely changing part) comes from UnitSnapshots, refetched
 * only for units whose version moved; only machines of the required processes (or their
 * sub-processes) reach the engine. Opening hours become free intervals through the
 * availability cache.
 */
@Injectable()
export class FindMatchesUseCase {
  constructor(
    @Inject(CANDIDATES_REPOSITORY) private readonly repo: CandidatesRepository,
    private readonly requirements: DesignRequirements,
    private readonly snapshots: UnitSnapshots,
    private readonly availability: Availability,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(query: MatchQueryDto): Promise<MatchResult> {
    const now = this.clock();
    const needBy = new Date(query.needBy);
    if (needBy.getTime() <= now.getTime()) throw badRequest('needBy must be in the future', [{ field: 'needBy', message: 'needBy is not in the future' }]);
    if (needBy.getTime() - now.getTime() > MAX_HORIZON_MS) {
      throw badRequest('needBy is at most 366 days ahead', [{ field: 'needBy', message: 'needBy is more than 366 days ahead' }]);
    }
    const maxDistanceKm = query.maxDistanceKm ?? DEFAULT_MAX_DISTANCE_KM;
    const version = await this.requirements.get(query.designVersionId);
    const requirements = version.requirements ?? [];
    const problems = validateMatchInput({
      requirements,
      quantity: query.quantity,
      location: { lat: query.lat, lon: query.lon },
      needBy,
      now,
      maxDistanceKm,
      units: [],
    });
    if (problems.length) {
      throw unprocessable('not-manufacturable', 'This design version cannot be matched', problems.join('; '), {
        designVersionId: query.designVersionId,
      });
    }

    const processes = [...new Set(requirements.flatMap((r) => [r.process, ...processWithDescendants(r.process)]))];
    const materials = [...new Set(requirements.map((r) => r.material))];
    const ids = query.fabUnitIds?.length ? [...new Set(query.fabUnitIds)] : undefined;
    const state = await this.repo.state({
      where: ids ? { ids } : { boxes: boundingBoxes(query.lat, query.lon, maxDistanceKm) },
      lat: query.lat,
      lon: query.lon,
      nearest: NEAREST_FETCHED,
      materials,
      from: now,
      to: needBy,
      designVersionId: query.designVersionId,
    });
    const snapshots = await this.snapshots.get(state.units);

    const busy = new Map<string, Interval[]>();
    for (const r of state.reserved) {
      const list = busy.get(r.machineId);
      if (list) list.push(r);
      else busy.set(r.machineId, [r]);
    }
    const stock = new Map<string, MatchStock[]>();
    for (const s of state.stock) {
      const entry = { material: s.material, quantity: Math.max(0, s.free), unit: s.unit };
      const list = stock.get(s.fabUnitId);
      if (list) list.push(entry);
      else stock.set(s.fabUnitId, [entry]);
    }
    const relevant = new Set(processes);
    const units: MatchUnit[] = [];
    for (const u of snapshots.values()) {
      const machines: LazyMatchMachine[] = [];
      for (const m of u.machines) {
        // Only machines of a required process (or a sub-process) can take or explain a step.
        if (!relevant.has(m.process)) continue;
        machines.push(
          new LazyMatchMachine(m, () => {
            const open = this.availability.openFor(
              u,
              m.hours === null ? '' : m.id,
              { hoursJson: m.hours ?? u.hours, closuresJson: u.closures, timezone: u.timezone },
              now,
              needBy,
            );
            const taken = busy.get(m.id);
            return taken ? subtractIntervals(open, taken) : open;
          }),
        );
      }
      units.push({
        id: u.id,
        name: u.name,
        status: u.status,
        location: { lat: u.lat, lon: u.lon },
        timezone: u.timezone ?? 'UTC',
        closures: parsedClosures(u.closures),
        successfulBuilds: state.builds.get(u.id) ?? 0,
        stock: stock.get(u.id) ?? [],
        machines,
      });
    }

    return matchDesign({
      requirements,
      quantity: query.quantity,
      location: { lat: query.lat, lon: query.lon },
      needBy,
      now,
      maxDistanceKm,
      units,
      options: { maxCandidates: query.limit ?? DEFAULT_CANDIDATES, explainNearest: DEFAULT_EXPLAIN_NEAREST },
    });
  }
}

const NO_CLOSURES: Closure[] = [];
const closuresCache = new Map<string, Closure[]>();

/** Closures as stored (JSON text); almost always `[]`, and shared, never mutated. */
function parsedClosures(json: string): Closure[] {
  if (json === '[]') return NO_CLOSURES;
  let hit = closuresCache.get(json);
  if (!hit) {
    if (closuresCache.size > 5000) closuresCache.clear();
    closuresCache.set(json, (hit = JSON.parse(json) as Closure[]));
  }
  return hit;
}
