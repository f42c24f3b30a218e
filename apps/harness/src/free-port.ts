import { createServer } from 'node:net'

/** Binds `host`:`port` (0 for any), returns the port the kernel gave and closes the socket again. */
function tryBind(host: string, port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer()
    server.unref()
    server.once('error', () => resolve(undefined))
    server.listen({ host, port, exclusive: true }, () => {
      const address = server.address()
      const bound = typeof address === 'object' && address !== null ? address.port : undefined
      server.close(() => resolve(bound))
    })
  })
}

/** A TCP port that is free on `host` right now (bind port 0, read it, close). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const port = await tryBind(host, 0)
  if (port === undefined) throw new Error(`freePort: cannot bind ${host}:0`)
  return port
}

/** Ports handed out by this process already, so that two daemons started back to back never share one. */
const handedOut = new Set<number>()

/** `count` distinct free ports, none handed out before by this process. */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const ports: number[] = []
  while (ports.length < count) {
    const port = await freePort(host)
    if (handedOut.has(port)) continue
    handedOut.add(port)
    ports.push(port)
  }
  return ports
}

/**
 * `count` consecutive free ports (an FTP passive range), picked below Linux's ephemeral range
 * (32768-60999) so that outgoing connections do not take them meanwhile.
 */
export async function freePortRange(count: number, host = '127.0.0.1'): Promise<{ low: number; high: number }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const low = 20_000 + Math.floor(Math.random() * (12_000 - count))
    let ok = true
    for (let port = low; port < low + count && ok; port++) {
      ok = !handedOut.has(port) && (await tryBind(host, port)) === port
    }
    if (ok) {
      for (let port = low; port < low + count; port++) handedOut.add(port)
      return { low, high: low + count - 1 }
    }
  }
  throw new Error(`freePortRange: no ${count} consecutive free ports on ${host}`)
}
