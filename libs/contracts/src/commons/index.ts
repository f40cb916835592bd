export * from './design-version.js';
export * from './messages.js';
export * from './patterns.js';
export * from './views.js';
export * from './dto.js';
