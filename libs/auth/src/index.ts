export * from './authz-resolver.js';
export * from './current-actor.decorator.js';
export * from './password.js';
export * from './requires.decorator.js';
export * from './resource.guard.js';
