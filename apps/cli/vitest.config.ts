import { defineConfig, mergeConfig } from 'vitest/config'
import { sharedConfig } from '../../vitest.shared.ts'

// The tests run the built CLI (dist/netc.js) as a child process; test/global-setup.ts says how to build it.
export default mergeConfig(sharedConfig, defineConfig({ test: { globalSetup: ['test/global-setup.ts'], testTimeout: 30_000 } }))
