import type { MatchResult } from '#libs/contracts/src/fabrication/matching.js';
import type { PlaceReservation, PlacedReservation } from '#libs/contracts/src/fabrication/messages.js';
import { isRefusal, type Neighbours } from '../shared/neighbours.js';
import { type PoolSearch, type PoolUnit, poolPlacementOrder } from './pool-placement.js';
import type { RequestRow } from './typeorm-requests.repository.js';

/** Units of a pool tried for one step before giving up (each try is one call to fabrication). */
export const MAX_POOL_TRIES = 20;

/** Pool units may be anywhere the council draws from: distance is no reason to leave one out. */
const ANY_DISTANCE_KM = 20_000;

/**
 * Fabrication's match of the request restricted to the pool, up to `needBy`: the engine's
 * ranking of the pool's units. A refusal (the design no longer matchable, a bad date) is no
 * ranking rather than an error: the units are then tried in the pool's order. Fabrication not
 * answering throws (the caller retries).
 */
export async function matchInPool(
  neighbours: Neighbours,
  request: Pick<RequestRow, 'design_version_id' | 'quantity' | 'lat' | 'lon'>,
  pool: readonly string[],
  needBy: string,
): Promise<MatchResult | null> {
  try {
    return await neighbours.match({
      designVersionId: request.design_version_id,
      quantity: request.quantity,
      lat: request.lat,
      lon: request.lon,
      needBy,
      fabUnitIds: [...pool],
      maxDistanceKm: ANY_DISTANCE_KM,
    });
  } catch (error) {
    if (isRefusal(error)) return null;
    throw error;
  }
}

export type PoolPlacement =
  | { ok: true; unit: PoolUnit & { fabUnitName: string }; key: string; reservation: PlacedReservation }
  | { ok: false; search: PoolSearch };

/**
 * Places one step on the first unit of the pool, in the engine's ranking (pool-placement.ts),
 * that has room: any machine of that unit doing the step's process (or a sub-process), with the
 * envelope, material and stock, inside [notBefore, needBy) — fabrication picks the machine and
 * checks all of it. `keyFor` names the placement's idempotency key per unit.
 */
export async function placeInPool(
  neighbours: Neighbours,
  args: {
    match: () => Promise<MatchResult | null>;
    stepIndex: number;
    placement: Omit<PlaceReservation, 'key' | 'fabUnitId' | 'machineId'>;
    pool: readonly string[];
    skip: ReadonlySet<string>;
    keyFor: (fabUnitId: string) => string;
  },
): Promise<PoolPlacement> {
  // Every unit tried already: no need to ask fabrication for a ranking.
  const open = args.pool.some((id) => !args.skip.has(id));
  const order = open ? poolPlacementOrder(await args.match(), args.stepIndex, args.pool, args.skip) : [];
  const listed = new Set(order.map((u) => u.fabUnitId));
  const units = new Set(args.pool);
  const ruledOut = [...units].filter((id) => !listed.has(id) && !args.skip.has(id)).length;
  const skipped = [...units].filter((id) => args.skip.has(id)).length;
  let tried = 0;
  let lastRefusal: string | null = null;
  for (const unit of order.slice(0, MAX_POOL_TRIES)) {
    tried++;
    const key = args.keyFor(unit.fabUnitId);
    try {
      const reservation = await neighbours.placeReservation({ ...args.placement, key, fabUnitId: unit.fabUnitId });
      // A replayed key answers its first placement, wherever that was.
      const name = order.find((u) => u.fabUnitId === reservation.fabUnitId)?.fabUnitName ?? reservation.fabUnitId;
      return { ok: true, unit: { fabUnitId: reservation.fabUnitId, fabUnitName: name }, key, reservation };
    } catch (error) {
      if (!isRefusal(error)) throw error;
      lastRefusal = error.message;
    }
  }
  return { ok: false, search: { poolSize: units.size, skipped, tried, ruledOut, untried: Math.max(0, order.length - MAX_POOL_TRIES), lastRefusal } };
}
