// Helpers for the tests of this package and the packages above it (`@berth/api-server/test-support`).
export { runProgram, type Result, type RunOptions } from './program.js';
export { sink } from './sink.js';
