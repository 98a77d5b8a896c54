// Helpers for the tests of this package and the packages above it (`@berth/api-server/test-support`).
export { sink } from './sink.js';
