import { describe, expect, it } from 'vitest'
import { whenReconnected } from './reconnect'
import type { ConnectionSource, ConnectionState } from './ws-bridge'

function fakeSource(initial: ConnectionState) {
  const listeners = new Set<() => void>()
  const source = {
    state: initial,
    failedAttempts: 0,
    onStateChange(listener: () => void) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  } satisfies ConnectionSource
  const set = (state: ConnectionState) => {
    source.state = state
    listeners.forEach((listener) => listener())
  }
  return { source, set }
}

describe('whenReconnected', () => {
  it('ignores the first open and fires on every later one', () => {
    const { source, set } = fakeSource('connecting')
    let reloads = 0
    const stop = whenReconnected(source, () => reloads++)
    set('open')
    expect(reloads).toBe(0)
    set('reconnecting')
    set('reconnecting') // another failed attempt
    set('open')
    expect(reloads).toBe(1)
    set('reconnecting')
    set('open')
    expect(reloads).toBe(2)
    stop()
    set('reconnecting')
    set('open')
    expect(reloads).toBe(2)
  })

  it('counts an already open source as opened before', () => {
    const { source, set } = fakeSource('open')
    let reloads = 0
    whenReconnected(source, () => reloads++)
    set('reconnecting')
    set('open')
    expect(reloads).toBe(1)
  })
})
