import type { BuildEnvelopeMm } from '#libs/contracts/src/commons/design-version.js';
import type { MachineDraft } from '#libs/contracts/src/fabrication/fab-unit.js';
import type { CreateMachineDto } from '#libs/contracts/src/fabrication/dto.js';
import type { WeeklySchedule } from '#libs/contracts/src/fabrication/schedule.js';
import type { InputCheck } from './fab-unit-input.js';

export type MachineInput = MachineDraft & { openingHours?: WeeklySchedule | null };

/** A machine as typed in, with canonical names; problems go to `check`. */
export function machineInput(check: InputCheck, dto: CreateMachineDto, field: string): MachineInput {
  const envelopeMm: BuildEnvelopeMm | undefined = dto.envelopeMm
    ? { x: dto.envelopeMm.x, y: dto.envelopeMm.y, z: dto.envelopeMm.z }
    : undefined;
  const out: MachineInput = {
    process: check.process(dto.process, `${field}.process`),
    materials: check.materials(dto.materials, `${field}.materials`),
    status: dto.status ?? 'available',
  };
  if (dto.make) out.make = dto.make;
  if (dto.model) out.model = dto.model;
  if (envelopeMm) out.envelopeMm = envelopeMm;
  if (dto.quantity !== undefined) out.quantity = dto.quantity;
  const hours = check.schedule(dto.openingHours, `${field}.openingHours`);
  if (hours) out.openingHours = hours;
  return out;
}
