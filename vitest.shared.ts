// Shared vitest settings: tests import workspace packages from their TypeScript sources (the
// "@netc/source" export condition), so no package has to be built before another one's tests run.
import { defineConfig } from 'vitest/config'

export const sharedConfig = defineConfig({
  resolve: { conditions: ['@netc/source', 'import', 'module', 'node', 'default'] },
  ssr: { resolve: { conditions: ['@netc/source', 'import', 'module', 'node', 'default'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.turbo/vitest-results.json' },
  },
})
