import { defineConfig } from 'vitest/config';

const results = process.env['HT_HIL_TEST_RESULTS'];

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'reports/latest/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    maxWorkers: 2,
    reporters: results ? ['default', 'json'] : ['default'],
    ...(results ? { outputFile: { json: results } } : {}),
  },
});
