import { defineConfig } from 'vitest/config';

// Integration tests mount and unpack as root; run files one at a time.
export default defineConfig({ test: { include: ['src/**/*.test.ts'], fileParallelism: false, testTimeout: 60_000, hookTimeout: 60_000 } });
