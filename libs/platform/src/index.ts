export * from './health.controller.js';
export * from './logger.js';
export * from './rpc-client.js';
export * from './rpc-exception.filter.js';
export * from './start-microservice.js';
export * from './transport-clients.module.js';
export * from './validation.js';
