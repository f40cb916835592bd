export * from './messages.js';
export * from './patterns.js';
export * from './states.js';
export * from './views.js';
export * from './dto.js';
export * from './automation.js';
