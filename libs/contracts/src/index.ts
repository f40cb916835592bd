export * from './actor.js';
export * from './authz.js';
export * from './patterns.js';
export * from './problem.js';
export * from './services.js';
export * from './transport/namespaced-redis.js';
export * from './queues.js';
