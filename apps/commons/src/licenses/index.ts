export * from './spdx.js';
export * from './license-expression.js';
export * from './open-license.js';
export * from './fork-license.js';
