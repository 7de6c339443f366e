import { describe, expect, it, vi } from 'vitest'
import type { CallResponse, GanvasBridge, GanvasEvent, MethodName } from '../../../shared/contract'
import { GanvasCallError, GanvasClient } from './client'

/** A bridge that answers from a script and lets the test push raw events. */
function fakeBridge(answer: (method: MethodName, input: unknown) => unknown) {
  const listeners = new Set<(event: GanvasEvent) => void>()
  const calls: Array<{ method: MethodName; input: unknown }> = []
  const bridge: GanvasBridge = {
    async call(method, input) {
      calls.push({ method, input })
      return answer(method, input) as CallResponse
    },
    onEvent(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
  const push = (raw: unknown) => listeners.forEach((listener) => listener(raw as GanvasEvent))
  return { bridge, calls, push }
}

const job = {
  id: 'j1', kind: 'engine.check', title: 'Engine check', state: 'running', progress: null,
  result: null, error: null, startedAt: '2025-01-01T00:00:00.000Z', endedAt: null,
}

describe('GanvasClient', () => {
  it('returns the validated output of a successful call', async () => {
    const { bridge, calls } = fakeBridge(() => ({ id: 1, ok: true, output: { jobId: 'j1' } }))
    const client = new GanvasClient(bridge)
    await expect(client.call('engine.check', { steps: 30, size: 32 })).resolves.toEqual({ jobId: 'j1' })
    expect(calls).toEqual([{ method: 'engine.check', input: { steps: 30, size: 32 } }])
  })

  it('rejects with a GanvasCallError carrying code, message and field when ok is false', async () => {
    const { bridge } = fakeBridge(() => ({
      id: 1, ok: false, error: { code: 'invalid_input', message: 'input.jobId: Too small', field: 'input.jobId' },
    }))
    const error = await new GanvasClient(bridge).call('jobs.cancel', { jobId: 'x' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GanvasCallError)
    expect(error).toMatchObject({ code: 'invalid_input', field: 'input.jobId', message: 'input.jobId: Too small', method: 'jobs.cancel' })
  })

  it('refuses an invalid input before sending, naming the field', async () => {
    const { bridge, calls } = fakeBridge(() => ({ id: 1, ok: true, output: { jobId: 'j' } }))
    const error = await new GanvasClient(bridge).call('engine.check', { steps: 0, size: 32 }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'invalid_input', field: 'input.steps' })
    expect(calls).toEqual([])
  })

  it('rejects an output that does not match the contract', async () => {
    const { bridge } = fakeBridge(() => ({ id: 1, ok: true, output: { version: 3 } }))
    const error = await new GanvasClient(bridge).call('app.info', {}).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'bad_response', field: 'output.version' })
  })

  it('rejects a reply that is not a CallResponse at all', async () => {
    const { bridge } = fakeBridge(() => 'hello')
    await expect(new GanvasClient(bridge).call('jobs.list', {})).rejects.toMatchObject({ code: 'bad_response' })
  })

  it('turns a transport failure into a disconnected error with the transport message', async () => {
    const bridge: GanvasBridge = {
      call: () => Promise.reject(new Error('Lost the connection')),
      onEvent: () => () => {},
    }
    await expect(new GanvasClient(bridge).call('jobs.list', {})).rejects.toMatchObject({
      code: 'disconnected',
      message: 'Lost the connection',
    })
  })

  it('passes valid events on and drops malformed ones', () => {
    const { bridge, push } = fakeBridge(() => null)
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const seen: GanvasEvent[] = []
    const unsubscribe = new GanvasClient(bridge).onEvent((event) => seen.push(event))
    push({ type: 'job.started', job })
    push({ type: 'job.started', job: { ...job, state: 'exploded' } })
    push({ type: 'job.progress', jobId: 'j1', progress: { step: 1, total: 2, metrics: { loss: 0.5 } } })
    push(42)
    unsubscribe()
    push({ type: 'job.started', job })
    expect(seen.map((event) => event.type)).toEqual(['job.started', 'job.progress'])
    expect(warn).toHaveBeenCalledTimes(2)
    warn.mockRestore()
  })
})
