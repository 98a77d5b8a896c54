import { defineConfig } from 'vitest/config';

// The engine tests run real containers: a loaded machine (nx runs two packages at once) needs
// more than vitest's 5 s for a restart-policy back-off or a recovery.
export default defineConfig({ test: { include: ['src/**/*.test.ts'], testTimeout: 30_000 } });
