/** Now, injected: the one thing besides randomness tests may replace. */
export type Clock = () => Date;
export const CLOCK = Symbol('CLOCK');
export const systemClock: Clock = () => new Date();
