// Shared vitest settings: tests import workspace packages from their TypeScript sources (the
// "@netc/source" export condition), so no package has to be built before another one's tests run.
// The setup file replays the fast-check counterexamples saved by `pnpm fuzz` (src/__fixtures__/fuzz/)
// and, under `pnpm fuzz` only, sets the seed and run count of every property (docs/FUZZING.md).
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export const sharedConfig = defineConfig({
  resolve: { conditions: ['@netc/source', 'import', 'module', 'node', 'default'] },
  ssr: { resolve: { conditions: ['@netc/source', 'import', 'module', 'node', 'default'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: [fileURLToPath(new URL('./scripts/fuzz/fuzz-setup.ts', import.meta.url))],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.turbo/vitest-results.json' },
  },
})
