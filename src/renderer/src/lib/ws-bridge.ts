/**
 * A GanvasBridge over the serve-mode WebSocket: numbered requests, a pending map, reconnect with
 * backoff, and an observable connection state for the status bar. Calls made while the socket is
 * down wait in an outbox for a while; calls already sent fail when the socket closes, because
 * their answer can no longer arrive.
 */
import { ServerFrame, type CallResponse, type GanvasBridge, type GanvasEvent, type MethodName } from '../../../shared/contract'

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed'

/** What the status bar needs from any transport. */
export interface ConnectionSource {
  readonly state: ConnectionState
  /** Failed connection attempts since the socket was last open. */
  readonly failedAttempts: number
  onStateChange(listener: () => void): () => void
}

/** The part of the browser WebSocket this bridge uses, so tests can pass a fake. */
export interface SocketLike {
  send(data: string): void
  close(): void
  onopen: ((event: unknown) => void) | null
  onclose: ((event: unknown) => void) | null
  onerror: ((event: unknown) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
}

export interface WsBridgeOptions {
  url: string
  createSocket?: (url: string) => SocketLike
  /** First reconnect delay; doubles per failed attempt up to maxDelayMs. */
  initialDelayMs?: number
  maxDelayMs?: number
  /** How long a call may wait in the outbox for a connection before it fails. */
  outboxTimeoutMs?: number
}

interface SentCall {
  method: MethodName
  resolve(response: CallResponse): void
  reject(error: Error): void
}

interface QueuedCall extends SentCall {
  id: number
  input: unknown
  timer: ReturnType<typeof setTimeout>
}

export function socketUrlFor(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`
}

export class WsBridge implements GanvasBridge, ConnectionSource {
  readonly #options: Required<WsBridgeOptions>
  #socket: SocketLike | null = null
  #state: ConnectionState = 'connecting'
  #failedAttempts = 0
  #nextId = 1
  #reconnectTimer: ReturnType<typeof setTimeout> | null = null
  readonly #sent = new Map<number, SentCall>()
  #outbox: QueuedCall[] = []
  readonly #eventListeners = new Set<(event: GanvasEvent) => void>()
  readonly #stateListeners = new Set<() => void>()

  constructor(options: WsBridgeOptions) {
    this.#options = {
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      initialDelayMs: 500,
      maxDelayMs: 10_000,
      outboxTimeoutMs: 15_000,
      ...options,
    }
    this.#connect()
  }

  get state(): ConnectionState {
    return this.#state
  }

  get failedAttempts(): number {
    return this.#failedAttempts
  }

  call(method: MethodName, input: unknown): Promise<CallResponse> {
    if (this.#state === 'closed') return Promise.reject(new Error('The connection to the engine host was closed.'))
    const id = this.#nextId++
    return new Promise<CallResponse>((resolve, reject) => {
      if (this.#state === 'open' && this.#socket) {
        this.#send(this.#socket, { id, method, input, resolve, reject })
        return
      }
      const timer = setTimeout(() => {
        this.#outbox = this.#outbox.filter((queued) => queued.id !== id)
        reject(new Error(`Could not reach the engine host to run ${method}: still trying to reconnect. Is \`ganvas serve\` running?`))
      }, this.#options.outboxTimeoutMs)
      this.#outbox.push({ id, method, input, resolve, reject, timer })
    })
  }

  onEvent(listener: (event: GanvasEvent) => void): () => void {
    this.#eventListeners.add(listener)
    return () => this.#eventListeners.delete(listener)
  }

  onStateChange(listener: () => void): () => void {
    this.#stateListeners.add(listener)
    return () => this.#stateListeners.delete(listener)
  }

  /** Stops for good: pending and queued calls fail, no reconnects. */
  close(): void {
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer)
    const socket = this.#socket
    this.#socket = null
    this.#setState('closed')
    this.#failSent((method) => `The connection to the engine host was closed before ${method} answered.`)
    for (const queued of this.#outbox.splice(0)) {
      clearTimeout(queued.timer)
      queued.reject(new Error('The connection to the engine host was closed.'))
    }
    socket?.close()
  }

  #connect(): void {
    this.#reconnectTimer = null
    const socket = this.#options.createSocket(this.#options.url)
    this.#socket = socket
    socket.onopen = () => {
      if (this.#socket !== socket) return
      this.#failedAttempts = 0
      this.#setState('open')
      for (const queued of this.#outbox.splice(0)) {
        clearTimeout(queued.timer)
        this.#send(socket, queued)
      }
    }
    socket.onmessage = (message) => {
      if (this.#socket === socket) this.#receive(message.data)
    }
    // A failed connect fires error then close; close alone decides what happens next.
    socket.onerror = () => {}
    socket.onclose = () => {
      if (this.#socket !== socket) return
      this.#socket = null
      this.#failedAttempts++
      this.#failSent(
        (method) => `Lost the connection to the engine host before ${method} answered; it may or may not have run. Reconnecting…`,
      )
      this.#setState('reconnecting', true)
      const delay = Math.min(this.#options.maxDelayMs, this.#options.initialDelayMs * 2 ** (this.#failedAttempts - 1))
      this.#reconnectTimer = setTimeout(() => this.#connect(), delay)
    }
  }

  #send(socket: SocketLike, call: SentCall & { id: number; input: unknown }): void {
    this.#sent.set(call.id, { method: call.method, resolve: call.resolve, reject: call.reject })
    try {
      socket.send(JSON.stringify({ id: call.id, method: call.method, input: call.input }))
    } catch (error) {
      this.#sent.delete(call.id)
      call.reject(new Error(`Could not send ${call.method}: ${error instanceof Error ? error.message : String(error)}`))
    }
  }

  #receive(data: unknown): void {
    let json: unknown
    try {
      json = typeof data === 'string' ? JSON.parse(data) : undefined
    } catch {
      json = undefined
    }
    const frame = ServerFrame.safeParse(json)
    if (!frame.success) {
      console.warn('[ganvas] ignored a malformed frame from the engine host')
      return
    }
    if (frame.data.kind === 'event') {
      for (const listener of this.#eventListeners) listener(frame.data.event)
      return
    }
    const { response } = frame.data
    const call = this.#sent.get(response.id)
    if (!call) {
      // id -1: the host could not read one of our messages; nothing to route it to.
      console.warn('[ganvas] a reply matched no pending call:', response.ok ? response.id : response.error.message)
      return
    }
    this.#sent.delete(response.id)
    call.resolve(response)
  }

  #failSent(reason: (method: MethodName) => string): void {
    for (const call of this.#sent.values()) call.reject(new Error(reason(call.method)))
    this.#sent.clear()
  }

  /** `force` notifies even when only the attempt count changed. */
  #setState(state: ConnectionState, force = false): void {
    if (this.#state === state && !force) return
    this.#state = state
    for (const listener of this.#stateListeners) listener()
  }
}
