import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { GanvasEvent, ServerFrame } from '../../../shared/contract'
import { socketUrlFor, WsBridge, type SocketLike } from './ws-bridge'

/** A socket the test drives by hand: open it, feed it frames, close it. */
class FakeSocket implements SocketLike {
  sent: Array<{ id: number; method: string; input: unknown }> = []
  closed = false
  onopen: SocketLike['onopen'] = null
  onclose: SocketLike['onclose'] = null
  onerror: SocketLike['onerror'] = null
  onmessage: SocketLike['onmessage'] = null

  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data))
  }
  close() {
    this.closed = true
  }
  open() {
    this.onopen?.({})
  }
  drop() {
    this.onerror?.({})
    this.onclose?.({})
  }
  frame(frame: ServerFrame | string) {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) })
  }
}

function setup(options: { outboxTimeoutMs?: number } = {}) {
  const sockets: FakeSocket[] = []
  const bridge = new WsBridge({
    url: 'ws://host/ws',
    createSocket: (url) => {
      const socket = new FakeSocket(url)
      sockets.push(socket)
      return socket
    },
    initialDelayMs: 100,
    maxDelayMs: 400,
    ...options,
  })
  const latest = () => sockets[sockets.length - 1]!
  return { bridge, sockets, latest }
}

const readyStatusEvent: GanvasEvent = {
  type: 'engine.status',
  status: {
    state: 'ready', requested: 'auto', requestedBy: 'setting', backend: 'wasm', device: 'CPU', tfjsVersion: '4.22.0', backendPackage: null,
    attempts: [], pid: 1, restarts: 0, lastError: null,
  },
}

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('WsBridge', () => {
  it('derives the socket URL from the page location', () => {
    expect(socketUrlFor({ protocol: 'http:', host: '127.0.0.1:4810' })).toBe('ws://127.0.0.1:4810/ws')
    expect(socketUrlFor({ protocol: 'https:', host: 'studio.local' })).toBe('wss://studio.local/ws')
  })

  it('queues calls until the socket opens, then matches replies by id', async () => {
    const { bridge, latest } = setup()
    const first = bridge.call('engine.status', {})
    const second = bridge.call('jobs.list', {})
    expect(latest().sent).toEqual([])
    latest().open()
    expect(latest().sent.map((m) => m.method)).toEqual(['engine.status', 'jobs.list'])
    const [a, b] = latest().sent
    latest().frame({ kind: 'response', response: { id: b!.id, ok: true, output: [] } })
    latest().frame({ kind: 'response', response: { id: a!.id, ok: false, error: { code: 'failed', message: 'nope' } } })
    await expect(second).resolves.toEqual({ id: b!.id, ok: true, output: [] })
    await expect(first).resolves.toMatchObject({ ok: false, error: { message: 'nope' } })
  })

  it('rejects calls in flight with a clear message when the socket closes, then reconnects with backoff', async () => {
    const { bridge, sockets, latest } = setup()
    latest().open()
    const inFlight = bridge.call('engine.check', { steps: 3, size: 8 })
    latest().drop()
    await expect(inFlight).rejects.toThrow(/Lost the connection to the engine host before engine\.check answered/)
    expect(bridge.state).toBe('reconnecting')
    expect(bridge.failedAttempts).toBe(1)

    vi.advanceTimersByTime(99)
    expect(sockets).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(sockets).toHaveLength(2)
    latest().drop() // second failure waits twice as long
    vi.advanceTimersByTime(199)
    expect(sockets).toHaveLength(2)
    vi.advanceTimersByTime(1)
    expect(sockets).toHaveLength(3)
    latest().open()
    expect(bridge.state).toBe('open')
    expect(bridge.failedAttempts).toBe(0)
  })

  it('caps the backoff delay', () => {
    const { sockets, latest } = setup()
    for (let i = 0; i < 6; i++) {
      latest().drop()
      vi.advanceTimersByTime(400)
    }
    expect(sockets).toHaveLength(7)
  })

  it('fails a queued call when no connection comes in time', async () => {
    const { bridge } = setup({ outboxTimeoutMs: 1000 })
    const waiting = bridge.call('models.list', {})
    vi.advanceTimersByTime(1000)
    await expect(waiting).rejects.toThrow(/Could not reach the engine host to run models\.list/)
  })

  it('notifies state listeners on every change, including each failed attempt', () => {
    const { bridge, latest } = setup()
    const seen: string[] = []
    bridge.onStateChange(() => seen.push(`${bridge.state}:${bridge.failedAttempts}`))
    latest().open()
    latest().drop()
    vi.advanceTimersByTime(100)
    latest().drop()
    expect(seen).toEqual(['open:0', 'reconnecting:1', 'reconnecting:2'])
  })

  it('delivers events and ignores malformed frames and replies to unknown ids', () => {
    const { bridge, latest } = setup()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const events: unknown[] = []
    bridge.onEvent((event) => events.push(event))
    latest().open()
    latest().frame('not json')
    latest().frame(JSON.stringify({ kind: 'event', event: { type: 'nope' } }))
    latest().frame({ kind: 'response', response: { id: 999, ok: true, output: null } })
    latest().frame({ kind: 'event', event: readyStatusEvent })
    expect(events).toEqual([readyStatusEvent])
    expect(warn).toHaveBeenCalledTimes(3)
    warn.mockRestore()
  })

  it('stops for good on close(): pending calls fail, new calls fail, no reconnect', async () => {
    const { bridge, sockets, latest } = setup()
    latest().open()
    const pending = bridge.call('jobs.list', {})
    bridge.close()
    await expect(pending).rejects.toThrow(/closed before jobs\.list answered/)
    await expect(bridge.call('jobs.list', {})).rejects.toThrow(/was closed/)
    expect(latest().closed).toBe(true)
    vi.advanceTimersByTime(60_000)
    expect(sockets).toHaveLength(1)
    expect(bridge.state).toBe('closed')
  })
})
