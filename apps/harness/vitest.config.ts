import { defineConfig, mergeConfig } from 'vitest/config'
import { sharedConfig } from '../../vitest.shared.ts'

// Real daemons: one file at a time keeps ports and CPU free for the daemon under test.
export default mergeConfig(
  sharedConfig,
  defineConfig({ test: { fileParallelism: false, testTimeout: 60_000, hookTimeout: 120_000 } }),
)
