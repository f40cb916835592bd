import type { BuildEnvelopeMm } from '#libs/contracts/src/commons/design-version.js';
import type { MachineStatus } from '#libs/contracts/src/fabrication/fab-unit.js';
import type { Interval } from '#libs/contracts/src/fabrication/schedule.js';
import type { MatchMachine } from '../matching/match-input.js';
import type { SnapshotMachine } from './candidates.repository.js';

/**
 * A machine as the engine sees it, its free time worked out when first asked. Opening hours
 * minus closures minus reservations is the costly part of a machine, and most units in range
 * fail a cheaper rule first (process, envelope, material, stock) and never ask.
 */
export class LazyMatchMachine implements MatchMachine {
  readonly id: string;
  readonly process: string;
  readonly make?: string;
  readonly model?: string;
  readonly envelopeMm?: BuildEnvelopeMm;
  readonly materials: readonly string[];
  readonly status: MachineStatus;
  private free: readonly Interval[] | undefined;

  constructor(
    m: SnapshotMachine,
    private readonly freeTime: () => readonly Interval[],
  ) {
    this.id = m.id;
    this.process = m.process;
    if (m.make !== null) this.make = m.make;
    if (m.model !== null) this.model = m.model;
    if (m.envelope) this.envelopeMm = m.envelope;
    this.materials = m.materials;
    this.status = m.status;
  }

  get freeIntervals(): readonly Interval[] {
    return (this.free ??= this.freeTime());
  }
}
