import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    reporters: ['default', './test/reporters/summary-line.ts'],
    // Engine and e2e tests start processes and train small nets; the machines are shared and slow.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Two cores: run files one after another so timings and engine processes don't starve each other.
    fileParallelism: false,
  },
})
