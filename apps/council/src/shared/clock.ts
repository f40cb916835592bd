/** The time, injectable so that tests can set it; nothing else in the council service reads the clock. */
export interface Clock {
  now(): Date;
}
export const CLOCK = Symbol('CLOCK');
export const systemClock: Clock = { now: () => new Date() };
