/**
 * OKW's closed vocabularies as people actually write them: "active", "ACTIVE",
 * "temporarily closed", "Temporary_Closure" all mean the same status.
 */
import type { AccessType, FabUnitKind, FabUnitStatus, MachineStatus } from '#libs/contracts/src/fabrication/fab-unit.js';

function key(s: string): string {
  return s
    .trim()
    .toLowerCase()
    .replace(/[\s_\-]+/g, ' ');
}

const STATUS: Record<string, FabUnitStatus> = {
  active: 'Active',
  open: 'Active',
  operational: 'Active',
  operating: 'Active',
  planned: 'Planned',
  planning: 'Planned',
  'in planning': 'Planned',
  'under construction': 'Planned',
  'coming soon': 'Planned',
  'temporary closure': 'Temporary Closure',
  'temporarily closed': 'Temporary Closure',
  'temporary closed': 'Temporary Closure',
  'closed temporarily': 'Temporary Closure',
  paused: 'Temporary Closure',
  dormant: 'Temporary Closure',
  closed: 'Closed',
  'permanently closed': 'Closed',
  'closed permanently': 'Closed',
  inactive: 'Closed',
};

export function normalizeStatus(input: string): FabUnitStatus | undefined {
  return STATUS[key(input)];
}

const ACCESS: Record<string, AccessType> = {
  restricted: 'Restricted',
  private: 'Restricted',
  'staff only': 'Restricted',
  'restricted with public hours': 'Restricted with public hours',
  'public hours': 'Restricted with public hours',
  'shared space': 'Shared space',
  shared: 'Shared space',
  coworking: 'Shared space',
  public: 'Public',
  open: 'Public',
  'open to the public': 'Public',
  membership: 'Membership',
  members: 'Membership',
  'members only': 'Membership',
};

export function normalizeAccessType(input: string): AccessType | undefined {
  return ACCESS[key(input)];
}

/** The kind a name or affiliation says (OKW: an affiliation with fablabs.org makes a fab lab). */
export function inferKind(...texts: (string | undefined)[]): FabUnitKind | undefined {
  const t = texts.filter(Boolean).join(' ').toLowerCase();
  if (/fab\s*lab|fablabs\.(org|io)/.test(t)) return 'fablab';
  if (/maker\s*space/.test(t)) return 'makerspace';
  if (/hacker\s*space|hack\s*lab/.test(t)) return 'hackerspace';
  if (/micro[\s-]*factory/.test(t)) return 'micro-factory';
  return undefined;
}

/**
 * OKW equipment has a free-text `condition` and no availability; the words that take a
 * machine out of service map to our statuses, anything else ("Fair", "Excellent") is
 * available. Retirement is checked first: "out of service" is not maintenance.
 */
export function machineStatusFromCondition(condition: string | undefined): MachineStatus {
  if (!condition) return 'available';
  const c = condition.toLowerCase();
  if (/retir|decommission|broken|out of (order|service)|scrap|disposed/.test(c)) return 'retired';
  if (/maint|repair|servic/.test(c)) return 'maintenance';
  return 'available';
}

/** What we write to `condition` so machineStatusFromCondition reads the status back. */
export const CONDITION_FOR_STATUS: Record<MachineStatus, string | undefined> = {
  available: undefined,
  maintenance: 'Under maintenance',
  retired: 'Retired',
};
