export * from './design-version.js';
export * from './messages.js';
