import { defineConfig } from 'vitest/config';

// Some tests drive real clients (docker CLI, a pty, openssl key generation): allow them time.
export default defineConfig({ test: { include: ['src/**/*.test.ts'], testTimeout: 20_000 } });
