import type { BackendService } from './services.js';

/**
 * Message patterns, one place for all, named `<service>.<subject>.<verb>`.
 * Request/response only: work that must not be lost goes through an outbox and BullMQ.
 */
export const healthPattern = (service: BackendService) => `${service}.health.ping`;
export const authzPattern = (service: BackendService) => `${service}.authz.check`;
