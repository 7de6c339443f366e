import { describe, expect, it } from 'vitest'
import { Latest } from './latest'

/** A fake call whose answers the test releases by hand. */
function harness() {
  const calls: Array<{ request: number; resolve: (v: string) => void; reject: (e: Error) => void }> = []
  const log: string[] = []
  const latest = new Latest<number, string>(
    (request) => new Promise<string>((resolve, reject) => calls.push({ request, resolve, reject })),
    (request) => String(request),
    {
      result: (result, request) => log.push(`result ${request}: ${result}`),
      error: (error, request) => log.push(`error ${request}: ${(error as Error).message}`),
      busy: (busy) => log.push(busy ? 'busy' : 'idle'),
    },
  )
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0))
  return { calls, log, latest, settle }
}

describe('Latest: one call at a time, newest request wins', () => {
  it('runs the first request at once and only the newest of those made meanwhile', async () => {
    const { calls, log, latest, settle } = harness()
    latest.request(1)
    latest.request(2)
    latest.request(3)
    latest.request(4)
    expect(calls.map((c) => c.request)).toEqual([1])
    calls[0]!.resolve('one')
    await settle()
    expect(calls.map((c) => c.request)).toEqual([1, 4])
    calls[1]!.resolve('four')
    await settle()
    expect(log).toEqual(['busy', 'result 1: one', 'result 4: four', 'idle'])
    expect(latest.busy).toBe(false)
  })

  it('skips a request equal to the one running or the last answered, unless forced', async () => {
    const { calls, latest, settle } = harness()
    latest.request(1)
    latest.request(2)
    latest.request(1) // the running call answers it: the waiting 2 is dropped
    calls[0]!.resolve('one')
    await settle()
    expect(calls).toHaveLength(1)
    latest.request(1)
    expect(calls).toHaveLength(1)
    latest.request(1, true)
    expect(calls).toHaveLength(2)
    calls[1]!.resolve('again')
    await settle()
    latest.forget()
    latest.request(1)
    expect(calls).toHaveLength(3)
  })

  it('reports a failure with its request and lets the same request be tried again', async () => {
    const { calls, log, latest, settle } = harness()
    latest.request(7)
    calls[0]!.reject(new Error('engine busy'))
    await settle()
    expect(log).toEqual(['busy', 'error 7: engine busy', 'idle'])
    latest.request(7)
    expect(calls).toHaveLength(2)
  })

  it('ignores the answer to a call made before reset', async () => {
    const { calls, log, latest, settle } = harness()
    latest.request(1)
    latest.request(2)
    latest.reset()
    expect(latest.busy).toBe(false)
    calls[0]!.resolve('stale')
    await settle()
    expect(log).toEqual(['busy', 'idle'])
    expect(calls).toHaveLength(1)
    latest.request(1)
    expect(calls).toHaveLength(2)
  })
})
