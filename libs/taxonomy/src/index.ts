export * from './processes.js';
export * from './materials.js';
export * from './units.js';
export { lookupKey } from './lookup-key.js';
