import { createServer, type Server, type Socket } from 'node:net'

/** A port with nothing listening: listen on port 0, note the port, close. */
export async function closedPort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as { port: number }
  await new Promise((resolve) => probe.close(resolve))
  return port
}

/** A server that accepts and never says a word (a stalled server). */
export async function silentServer(): Promise<Server> {
  const sockets = new Set<Socket>()
  const silent = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  silent.on('close', () => sockets.forEach((socket) => socket.destroy()))
  const close = silent.close.bind(silent)
  silent.close = (callback) => {
    sockets.forEach((socket) => socket.destroy())
    return close(callback)
  }
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  return silent
}
