/**
 * Fab units and designs as the fabrication e2e tests create them. Plain data and small
 * helpers over the HTTP client; no assertions here.
 */
import { eventually as poll } from '#libs/testing/src/eventually.js';
import type { HttpClient } from '#libs/testing/src/http-client.js';

export const ALWAYS_OPEN = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ open: '00:00', close: '24:00' }]]),
);

export const WEEKDAYS_9_TO_5 = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ open: '09:00', close: '17:00' }]]));

/** Lille, where the matching tests ask from. */
export const LILLE = { lat: 50.6292, lon: 3.0573 };

/** `km` north of `from` (1° of latitude ≈ 111.195 km). */
export function north(km: number, from = LILLE): { lat: number; lon: number } {
  return { lat: from.lat + km / 111.195, lon: from.lon };
}

export function fdm(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { process: '3d-printing.fdm', make: 'Prusa', model: 'MK4', envelopeMm: { x: 250, y: 210, z: 220 }, materials: ['pla', 'petg'], ...over };
}

export function laser(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { process: 'laser-cutting', make: 'Trotec', model: 'Speedy 400', envelopeMm: { x: 1000, y: 600, z: 20 }, materials: ['plywood', 'acrylic'], ...over };
}

let counter = 0;

export function unitBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  const n = ++counter;
  return {
    name: `Test Lab ${n}`,
    kind: 'fablab',
    url: `https://lab-${n}.example.org`,
    location: { ...LILLE, city: 'Lille', country: 'fr' },
    timezone: 'Europe/Paris',
    openingHours: ALWAYS_OPEN,
    machines: [fdm()],
    materials: [{ material: 'pla', quantity: 5, unit: 'kg' }],
    ...over,
  };
}

/** Registers a unit as `token`'s person and returns its view. */
export async function createUnit(http: HttpClient, token: string, over: Record<string, unknown> = {}): Promise<any> {
  const answer = await http.post('/fab-units', unitBody(over), { token });
  if (answer.status !== 201) throw new Error(`create fab unit failed: ${answer.status} ${answer.text}`);
  return answer.body;
}

/** Polls until `check` holds (the queue works in the background); fails after `ms`. */
export const eventually = <T>(check: () => Promise<T | undefined | null | false>, ms = 20_000): Promise<T> => poll(check, 'the condition', ms);
