import type { Actor } from '#libs/contracts/src/index.js';
import { type AuthzAnswer, authzPattern, DomainError } from '#libs/contracts/src/index.js';
import { COMMONS_PATTERNS, type DesignVersionForManufacturing } from '#libs/contracts/src/commons/messages.js';
import type { MatchResult } from '#libs/contracts/src/fabrication/matching.js';
import {
  FABRICATION_PATTERNS,
  type MatchQuery,
  type PlaceReservation,
  type PlacedReservation,
} from '#libs/contracts/src/fabrication/messages.js';
import type { ServiceClient } from '#libs/platform/src/index.js';

export const NEIGHBOURS = Symbol('NEIGHBOURS');

/** What production asks of commons and fabrication over the transport (an interface, so tests may script it). */
export interface Neighbours {
  designVersion(designVersionId: string): Promise<DesignVersionForManufacturing>;
  match(query: MatchQuery): Promise<MatchResult>;
  placeReservation(placement: PlaceReservation): Promise<PlacedReservation>;
  isUnitOperator(actor: Actor, fabUnitId: string): Promise<AuthzAnswer>;
}

export class TransportNeighbours implements Neighbours {
  /** Design versions never change: one answer per id is enough for the life of the process. */
  private readonly versions = new Map<string, Promise<DesignVersionForManufacturing>>();

  constructor(
    private readonly commons: ServiceClient,
    private readonly fabrication: ServiceClient,
  ) {}

  designVersion(designVersionId: string): Promise<DesignVersionForManufacturing> {
    let answer = this.versions.get(designVersionId);
    if (!answer) {
      answer = this.commons.send<DesignVersionForManufacturing>(COMMONS_PATTERNS.versionForManufacturing, null, { designVersionId });
      this.versions.set(designVersionId, answer);
      answer.catch(() => this.versions.delete(designVersionId));
      if (this.versions.size > 10_000) this.versions.delete(this.versions.keys().next().value!);
    }
    return answer;
  }

  match(query: MatchQuery): Promise<MatchResult> {
    return this.fabrication.send<MatchResult>(FABRICATION_PATTERNS.matchesFind, null, query, 15_000);
  }

  placeReservation(placement: PlaceReservation): Promise<PlacedReservation> {
    return this.fabrication.send<PlacedReservation>(FABRICATION_PATTERNS.reservationsPlace, null, placement);
  }

  isUnitOperator(actor: Actor, fabUnitId: string): Promise<AuthzAnswer> {
    return this.fabrication.send<AuthzAnswer>(authzPattern('fabrication'), actor, {
      resource: 'fab-unit',
      role: 'operator',
      id: fabUnitId,
      actor,
    });
  }
}

/** A refusal that retrying will not change (4xx), as opposed to a service that did not answer. */
export function isRefusal(error: unknown): error is DomainError {
  return error instanceof DomainError && error.status >= 400 && error.status < 500;
}
