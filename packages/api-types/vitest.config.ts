import { defineConfig } from 'vitest/config';

// passWithNoTests until this package has code of its own.
export default defineConfig({ test: { include: ['src/**/*.test.ts'], passWithNoTests: true } });
