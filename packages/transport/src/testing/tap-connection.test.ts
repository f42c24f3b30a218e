import { createServer, type AddressInfo, type Socket } from 'node:net'
import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import { tapConnection } from './tap-connection.ts'

describe('tapConnection', () => {
  it('keeps what the server sent on the first connection only', async () => {
    let served = 0
    const server = createServer((socket: Socket) => {
      served++
      socket.end(`hello ${served}\r\n`)
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const port = (server.address() as AddressInfo).port
    try {
      const tap = tapConnection()
      for (let i = 0; i < 2; i++) {
        const socket = await tap.connect({ host: '127.0.0.1', port, timeout: 5000 })
        socket.resume() // read to the end (the first has the tap's listener as well)
        await once(socket, 'close')
      }
      expect(served).toBe(2)
      expect(tap.wire()).toBe('hello 1\r\n')
    } finally {
      server.close()
    }
  })
})
