/** A raw WebSocket client for probing serve mode's auth and its handling of bad frames. */
import WebSocket from 'ws'
import type { CallResponse, ServerFrame } from '../../../src/shared/contract'

export function wsUrl(base: string, token?: string): string {
  const url = new URL('/ws', base.replace(/^http/, 'ws'))
  if (token !== undefined) url.searchParams.set('token', token)
  return url.href
}

/** The HTTP status a WebSocket upgrade was refused with, or 101 if it was accepted. */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers })
    socket.once('open', () => {
      socket.close()
      resolve(101)
    })
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0)
      socket.terminate()
    })
    socket.once('error', (error) => reject(error))
  })
}

/** One authenticated socket; `exchange` sends a frame and resolves with the next response frame. */
export class ProbeSocket {
  readonly #socket: WebSocket
  #waiting: ((response: CallResponse) => void) | null = null

  private constructor(socket: WebSocket) {
    this.#socket = socket
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as ServerFrame
      // Events (engine status, jobs) share the socket; only responses answer our frames.
      if (frame.kind !== 'response') return
      const waiting = this.#waiting
      this.#waiting = null
      waiting?.(frame.response)
    })
  }

  static open(url: string): Promise<ProbeSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url)
      socket.once('open', () => resolve(new ProbeSocket(socket)))
      socket.once('error', reject)
    })
  }

  exchange(data: string | Buffer, timeoutMs = 10_000): Promise<CallResponse> {
    if (this.#waiting) throw new Error('one exchange at a time: replies to bad frames carry no usable id')
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no reply within timeout')), timeoutMs)
      this.#waiting = (response) => {
        clearTimeout(timer)
        resolve(response)
      }
      this.#socket.send(data, { binary: Buffer.isBuffer(data) }, (error) => {
        if (error) reject(error)
      })
    })
  }

  get isOpen(): boolean {
    return this.#socket.readyState === WebSocket.OPEN
  }

  close(): void {
    this.#socket.close()
  }
}
