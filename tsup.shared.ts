// The build every library package shares: ESM + CJS + declarations for `.` and `./testing`.
// TypeScript 6 needs ignoreDeprecations for the baseUrl tsup injects into the dts build (TOOLCHAIN.md);
// the "@netc/source" condition is for tests only, never for a published build.
import { defineConfig } from 'tsup'

export const libraryConfig = defineConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { ignoreDeprecations: '6.0', customConditions: [] } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  splitting: true,
})
