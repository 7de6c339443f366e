import { describe, expect, it } from 'vitest'
import { EngineHost } from '../../src/service/engine-host'
import type { EngineStatus } from '../../src/shared/schemas'
import { fakeLauncher, fakeReport, tick } from '../helpers/fake-engine'

function setup(autoReady = true) {
  const fake = fakeLauncher({ autoReady })
  const statuses: EngineStatus[] = []
  const host = new EngineHost(fake.launcher, 'auto', (s) => statuses.push(s))
  host.start()
  return { fake, host, statuses }
}

describe('EngineHost', () => {
  it('reports the engine backend once it is ready', async () => {
    const { host, statuses } = setup()
    expect(host.status.state).toBe('starting')
    await host.whenReady()
    expect(host.status).toMatchObject({ state: 'ready', backend: 'wasm', device: fakeReport.device, restarts: 0 })
    expect(statuses.map((s) => s.state)).toEqual(['starting', 'ready'])
  })

  it('routes progress and the result of a call', async () => {
    const { fake, host } = setup()
    const progress: number[] = []
    const result = host.call('check', { steps: 2, size: 8 }, { onProgress: (p) => progress.push(p.step) })
    await tick()
    const call = fake.latest().lastCall()!
    expect(call).toMatchObject({ method: 'check', input: { steps: 2, size: 8 } })
    fake.latest().post({ kind: 'progress', id: call.id, progress: { step: 1, total: 2, metrics: {} } })
    fake.latest().post({ kind: 'result', id: call.id, output: { backend: 'wasm', steps: 2, msPerStep: 3, firstLoss: 1, lastLoss: 0.5 } })
    await expect(result).resolves.toMatchObject({ lastLoss: 0.5 })
    expect(progress).toEqual([1])
  })

  it('fails the call in flight when the engine crashes, then restarts it', async () => {
    const { fake, host, statuses } = setup()
    const result = host.call('check', { steps: 2, size: 8 })
    await tick()
    fake.latest().crash(134)
    await expect(result).rejects.toThrow(/stopped unexpectedly \(exit code 134\)/)
    expect(fake.engines).toHaveLength(2)
    await host.whenReady()
    expect(host.status).toMatchObject({ state: 'ready', restarts: 1 })
    expect(host.status.lastError).toBeNull()
    expect(statuses.some((s) => s.state === 'restarting')).toBe(true)
    // The new engine serves calls.
    const again = host.call('check', { steps: 1, size: 8 })
    await tick()
    const call = fake.latest().lastCall()!
    fake.latest().post({ kind: 'result', id: call.id, output: { backend: 'wasm', steps: 1, msPerStep: 1, firstLoss: 1, lastLoss: 1 } })
    await expect(again).resolves.toMatchObject({ steps: 1 })
  })

  it('gives up after repeated crashes and says why', async () => {
    const { fake, host } = setup(false)
    for (let i = 0; i < 7; i++) {
      fake.latest().crash(1)
      await tick()
    }
    expect(host.status.state).toBe('failed')
    expect(host.status.lastError).toMatch(/exit code 1/)
    await expect(host.call('check', { steps: 1, size: 8 })).rejects.toThrow(/not running/)
    const launched = fake.engines.length
    // An explicit restart (e.g. on another backend) tries again.
    const restarted = host.restart('cpu')
    await tick()
    fake.latest().post({ kind: 'ready', report: { ...fakeReport, backend: 'cpu' } })
    await expect(restarted).resolves.toMatchObject({ state: 'ready', backend: 'cpu' })
    expect(fake.engines.length).toBe(launched + 1)
    expect(fake.backends.at(-1)).toBe('cpu')
  })

  it('says which backend was requested and by whom; an explicit restart choice replaces an override', async () => {
    const fake = fakeLauncher()
    const host = new EngineHost(fake.launcher, 'wasm', () => {}, 'override')
    host.start()
    await host.whenReady()
    expect(host.status).toMatchObject({ requested: 'wasm', requestedBy: 'override' })
    await host.restart('cpu')
    expect(host.status).toMatchObject({ requested: 'cpu', requestedBy: 'setting' })
    expect(fake.backends).toEqual(['wasm', 'cpu'])
  })

  it('reports a fatal start-up error without restarting in a loop', async () => {
    const { fake, host } = setup(false)
    fake.latest().post({ kind: 'fatal', error: 'No TF.js backend could start: cpu: broken' })
    fake.latest().crash(1)
    await tick()
    expect(host.status).toMatchObject({ state: 'failed', lastError: 'No TF.js backend could start: cpu: broken' })
    expect(fake.engines).toHaveLength(1)
  })

  it('ignores malformed messages from the engine', async () => {
    const { fake, host } = setup()
    await host.whenReady()
    const result = host.call('check', { steps: 1, size: 8 })
    await tick()
    const { id } = fake.latest().lastCall()!
    for (const junk of [null, 42, 'ready', { kind: 'result' }, { kind: 'progress', id, progress: { step: -1 } }, { kind: 'nope' }]) {
      fake.latest().post(junk)
    }
    expect(host.status.state).toBe('ready')
    // An output that breaks the method's schema is an error, not a silently wrong value.
    fake.latest().post({ kind: 'result', id, output: { backend: 'wasm', steps: 'one' } })
    await expect(result).rejects.toThrow()
  })

  it('forwards cancellation and rejects with the engine reason', async () => {
    const { fake, host } = setup()
    const controller = new AbortController()
    const result = host.call('check', { steps: 100, size: 8 }, { signal: controller.signal })
    await tick()
    const { id } = fake.latest().lastCall()!
    controller.abort()
    expect(fake.latest().received.at(-1)).toEqual({ kind: 'cancel', id })
    fake.latest().post({ kind: 'error', id, error: 'Cancelled.', cancelled: true })
    await expect(result).rejects.toMatchObject({ name: 'CancelledError' })
  })
})
