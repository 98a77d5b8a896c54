export * from './ids/index.js';
export * from './config/index.js';
export * from './state/index.js';
export * from './restart/index.js';
export * from './events/index.js';
export * from './logs/index.js';
export * from './db/index.js';
export * from './names/index.js';
