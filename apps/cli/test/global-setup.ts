import { existsSync } from 'node:fs'
import { netcPath } from './run-cli.ts'

/** Fails the run at once, with the command to fix it, when the CLI has not been built. */
export default function setup(): void {
  if (!existsSync(netcPath)) {
    throw new Error(
      'apps/cli: dist/netc.js is missing. These tests run the built CLI: build it first with\n' +
        '  pnpm turbo run build --filter=@netc/cli... --output-logs=errors-only   (from the repository root)\n' +
        '(`pnpm test` from the root builds it for you.)',
    )
  }
}
