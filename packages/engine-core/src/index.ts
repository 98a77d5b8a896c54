export * from './ids/index.js';
