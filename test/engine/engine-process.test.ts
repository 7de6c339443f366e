/**
 * The real engine in its own Node process, driven through the host as the studio drives it:
 * backend selection, a training job with progress, cancellation, and surviving a crash.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Host } from '../../src/service/host'
import type { GanvasEvent } from '../../src/shared/contract'
import { jobEnded, startRealEngineHost } from '../helpers/engine-host'
import { waitFor } from '../helpers/wait-for'

let host: Host
let stop: () => Promise<void>
let events: GanvasEvent[]

beforeAll(async () => {
  ;({ host, events, stop } = await startRealEngineHost())
})
afterAll(() => stop())

const finished = (jobId: string) => jobEnded(events, jobId)

describe('engine process', () => {
  it('starts on wasm and says which backends it tried and why', async () => {
    const status = await host.handlers['engine.status']({})
    expect(status).toMatchObject({ state: 'ready', backend: 'wasm', backendPackage: '@tensorflow/tfjs-backend-wasm' })
    expect(status.tfjsVersion).toBe('4.22.0')
    expect(status.device).toMatch(/WebAssembly/)
    expect(status.pid).toBeGreaterThan(0)
    expect(status.pid).not.toBe(process.pid)
    expect(status.attempts.at(-1)).toEqual({ backend: '@tensorflow/tfjs-backend-wasm', ok: true, reason: 'active' })
  })

  it('trains the check network on wasm: progress arrives and the loss falls', async () => {
    const { jobId } = await host.handlers['engine.check']({ steps: 25, size: 16 })
    const job = await finished(jobId)
    expect(job.state, job.error ?? '').toBe('done')
    const progress = events.filter((e) => e.type === 'job.progress' && e.jobId === jobId)
    expect(progress).toHaveLength(25)
    const result = job.result as { firstLoss: number; lastLoss: number; backend: string }
    expect(result.backend).toBe('wasm')
    expect(result.lastLoss).toBeLessThan(result.firstLoss * 0.8)
  })

  it('cancels a running job', async () => {
    const { jobId } = await host.handlers['engine.check']({ steps: 500, size: 16 })
    await waitFor('first progress', () => events.some((e) => e.type === 'job.progress' && e.jobId === jobId))
    await host.handlers['jobs.cancel']({ jobId })
    expect((await finished(jobId)).state).toBe('cancelled')
  })

  it('survives the engine being killed: the job fails with the reason, the engine comes back', async () => {
    const before = await host.handlers['engine.status']({})
    const { jobId } = await host.handlers['engine.check']({ steps: 500, size: 16 })
    await waitFor('first progress', () => events.some((e) => e.type === 'job.progress' && e.jobId === jobId))
    process.kill(before.pid!, 'SIGKILL')
    const job = await finished(jobId)
    expect(job.state).toBe('failed')
    expect(job.error).toMatch(/engine process stopped unexpectedly/)
    await host.engine.whenReady()
    const after = await host.handlers['engine.status']({})
    expect(after).toMatchObject({ state: 'ready', backend: 'wasm', restarts: before.restarts + 1 })
    expect(after.pid).not.toBe(before.pid)
    const again = await host.handlers['engine.check']({ steps: 3, size: 8 })
    expect((await finished(again.jobId)).state).toBe('done')
  })
})
