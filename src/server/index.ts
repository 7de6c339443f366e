/**
 * Headless `serve` mode: the built renderer over HTTP and the contract over WebSocket, on
 * 127.0.0.1 by default, behind a random token. Every request without the token gets 401.
 */
import { existsSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CONTENT_SECURITY_POLICY_HEADER } from '../shared/csp'
import type { Host } from '../service/host'
import { newToken, presentedToken, sessionCookie, tokenMatches } from './auth'
import { serveStatic } from './static-files'
import { createWsTransport } from './ws-transport'

export interface ServeOptions {
  host: Host
  rendererDir: string
  port?: number
  bindHost?: string
  token?: string
}

export interface RunningServer {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY_HEADER,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  if (!existsSync(options.rendererDir)) {
    throw new Error(`The studio is not built (${options.rendererDir} is missing). Run "npm run build" first.`)
  }
  const token = options.token ?? newToken()
  const bindHost = options.bindHost ?? '127.0.0.1'
  const wss = createWsTransport(options.host.handlers, options.host.events)

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value)
    const presented = presentedToken(request)
    if (!tokenMatches(token, presented)) {
      response.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' }).end('401 Unauthorized: open the URL with ?token= that `ganvas serve` printed.\n')
      return
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405).end()
      return
    }
    const url = new URL(request.url ?? '/', 'http://localhost')
    if (url.searchParams.has('token')) {
      // Trade the URL token for a cookie and drop it from the address bar.
      response.writeHead(303, { 'Set-Cookie': sessionCookie(token), Location: url.pathname }).end()
      return
    }
    serveStatic(options.rendererDir, url.pathname, response).catch((error: Error) => {
      if (!response.headersSent) response.writeHead(500)
      response.end(`Could not read ${url.pathname}: ${error.message}`)
    })
  })

  server.on('upgrade', (request, socket, head) => {
    const sameOrigin = !request.headers.origin || request.headers.origin === `http://${request.headers.host}`
    if (!tokenMatches(token, presentedToken(request)) || !sameOrigin) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 4810, bindHost, resolve)
  })
  const { port } = server.address() as AddressInfo
  const shownHost = bindHost.includes(':') ? `[${bindHost}]` : bindHost
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate()
        wss.close()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
