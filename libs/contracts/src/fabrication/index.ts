export * from './fab-unit.js';
export * from './schedule.js';
export * from './matching.js';
export * from './messages.js';
export * from './patterns.js';
export * from './views.js';
export * from './dto.js';
export * from './view-dtos.js';
