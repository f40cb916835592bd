export * from './app-database.js';
export * from './database.module.js';
export * from './ensure-database.js';
export * from './pg-errors.js';
export * from './snake-naming.strategy.js';
