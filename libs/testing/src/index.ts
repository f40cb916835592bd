export * from './http-client.js';
export * from './test-config.js';
