import { afterAll, beforeAll, beforeEach } from 'vitest'

/**
 * Starts a daemon in beforeAll and stops it in afterAll (also when tests fail). When it cannot start (a
 * missing package, a bad config), every test of the file fails with that error, through beforeEach: a failed
 * beforeAll alone would leave them "skipped", and nothing may skip itself here.
 */
export function daemonHooks<T extends { stop(): Promise<void> }>(start: () => Promise<T>, assign: (daemon: T) => void): void {
  let daemon: T | undefined
  let failure: unknown
  beforeAll(async () => {
    try {
      daemon = await start()
      assign(daemon)
    } catch (error) {
      failure = error
    }
  })
  beforeEach(() => {
    if (failure !== undefined) throw new Error('the daemon did not start', { cause: failure })
  })
  afterAll(async () => {
    await daemon?.stop()
  })
}
