// A loopback TCP proxy that a test can cut (every connection dropped, new ones refused) and
// restore on the same port: a network outage between a client and a real server.
import { type Server, type Socket, createConnection, createServer } from 'node:net'

export interface TcpProxy {
  readonly port: number
  /** Drops every connection and stops listening. */
  cut(): Promise<void>
  /** Listens again on the same port. */
  restore(): Promise<void>
  close(): Promise<void>
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>()
  let server: Server | undefined
  let port = 0

  const listen = async (): Promise<void> => {
    const listening = createServer((client) => {
      const upstream = createConnection({ host: '127.0.0.1', port: targetPort })
      for (const socket of [client, upstream]) {
        sockets.add(socket)
        socket.on('close', () => sockets.delete(socket))
        socket.on('error', () => { client.destroy(); upstream.destroy() })
      }
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject)
      listening.listen(port, '127.0.0.1', () => resolve())
    })
    port = (listening.address() as { port: number }).port
    server = listening
  }

  const cut = async (): Promise<void> => {
    const closing = server
    server = undefined
    for (const socket of sockets) socket.destroy()
    if (closing !== undefined) await new Promise<void>((resolve) => closing.close(() => resolve()))
  }

  await listen()
  return { port, cut, restore: listen, close: cut }
}
