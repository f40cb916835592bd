export * from './http-client.js';
export * from './test-config.js';
export * from './eventually.js';
