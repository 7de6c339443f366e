import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { InferenceQueue, type QueueResult, type QueueStatus } from './inference-queue'

/** A translate stand-in whose calls the test answers by hand. */
function fakeTranslate() {
  const calls: Array<{ input: string; signal: AbortSignal; resolve: (out: string) => void; reject: (e: Error) => void }> = []
  let inFlight = 0
  let maxInFlight = 0
  const run = (input: string, signal: AbortSignal) =>
    new Promise<string>((resolve, reject) => {
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      const done = () => inFlight--
      calls.push({
        input,
        signal,
        resolve: (out) => (done(), resolve(out)),
        reject: (e) => (done(), reject(e)),
      })
    })
  return { run, calls, maxInFlight: () => maxInFlight }
}

function setup(debounceMs = 200) {
  const translate = fakeTranslate()
  const results: Array<QueueResult<string, string>> = []
  const errors: Array<{ error: unknown; input: string }> = []
  const statuses: QueueStatus[] = []
  const queue = new InferenceQueue<string, string>({
    run: translate.run,
    debounceMs,
    now: () => Date.now(),
    onResult: (r) => results.push(r),
    onError: (error, input) => errors.push({ error, input }),
    onStatus: (s) => statuses.push(s),
  })
  return { queue, translate, results, errors, statuses }
}

/** Lets the promise callbacks of an answered call run. */
const settle = () => vi.advanceTimersByTimeAsync(0)

describe('InferenceQueue', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('waits for a pause before calling, and calls once for a burst of strokes', async () => {
    const { queue, translate, statuses } = setup(200)
    queue.request('s1')
    await vi.advanceTimersByTimeAsync(150)
    queue.request('s2')
    await vi.advanceTimersByTimeAsync(150)
    queue.request('s3')
    expect(translate.calls).toHaveLength(0)
    expect(queue.status).toBe('waiting')
    await vi.advanceTimersByTimeAsync(200)
    expect(translate.calls.map((c) => c.input)).toEqual(['s3'])
    expect(statuses).toEqual(['waiting', 'running'])
  })

  it('reports the answer with its latency', async () => {
    const { queue, translate, results, statuses } = setup(100)
    queue.request('sketch')
    await vi.advanceTimersByTimeAsync(100)
    await vi.advanceTimersByTimeAsync(340)
    translate.calls[0]!.resolve('photo')
    await settle()
    expect(results).toEqual([{ input: 'sketch', output: 'photo', latencyMs: 340 }])
    expect(queue.status).toBe('idle')
    expect(statuses).toEqual(['waiting', 'running', 'idle'])
  })

  it('drops the answer of a call made stale by a newer stroke, then runs the newest one', async () => {
    const { queue, translate, results } = setup(100)
    queue.request('old')
    await vi.advanceTimersByTimeAsync(100)
    expect(translate.calls).toHaveLength(1)

    queue.request('newer')
    queue.request('newest')
    expect(translate.calls[0]!.signal.aborted).toBe(true)
    await vi.advanceTimersByTimeAsync(100)
    // The stale call still holds the slot: nothing new starts while it runs.
    expect(translate.calls).toHaveLength(1)
    expect(queue.status).toBe('waiting')

    translate.calls[0]!.resolve('stale photo')
    await settle()
    expect(results).toEqual([])
    expect(translate.calls.map((c) => c.input)).toEqual(['old', 'newest'])

    translate.calls[1]!.resolve('fresh photo')
    await settle()
    expect(results.map((r) => r.output)).toEqual(['fresh photo'])
    expect(translate.maxInFlight()).toBe(1)
  })

  it('never has more than one call in flight through a long drawing session', async () => {
    const { queue, translate, results } = setup(50)
    for (let stroke = 0; stroke < 40; stroke++) {
      queue.request(`s${stroke}`)
      await vi.advanceTimersByTimeAsync(60)
      // Answer whatever runs, now and then.
      if (stroke % 3 === 0) for (const call of translate.calls) call.resolve(`photo of ${call.input}`)
      await settle()
    }
    await vi.advanceTimersByTimeAsync(60)
    for (const call of translate.calls) call.resolve(`photo of ${call.input}`)
    await settle()
    expect(translate.maxInFlight()).toBe(1)
    expect(results.at(-1)?.output).toBe('photo of s39')
  })

  it('surfaces the error of the current request, and forgets the errors of stale ones', async () => {
    const { queue, translate, errors } = setup(100)
    queue.request('a')
    await vi.advanceTimersByTimeAsync(100)
    queue.request('b')
    translate.calls[0]!.reject(new Error('stale failure'))
    await vi.advanceTimersByTimeAsync(100)
    expect(errors).toEqual([])
    translate.calls[1]!.reject(new Error('model failed'))
    await settle()
    expect(errors).toHaveLength(1)
    expect((errors[0]!.error as Error).message).toBe('model failed')
    expect(errors[0]!.input).toBe('b')
    expect(queue.status).toBe('idle')
  })

  it('treats a run that throws at once like a failed call', async () => {
    const errors: unknown[] = []
    const queue = new InferenceQueue<string, string>({
      run: () => {
        throw new Error('cannot encode the sketch')
      },
      debounceMs: 10,
      onError: (e) => errors.push(e),
    })
    queue.request('x')
    await vi.advanceTimersByTimeAsync(10)
    expect(errors).toHaveLength(1)
    expect(queue.status).toBe('idle')
  })

  it('cancel drops the waiting request; dispose ignores late answers', async () => {
    const { queue, translate, results } = setup(100)
    queue.request('a')
    queue.cancel()
    await vi.advanceTimersByTimeAsync(500)
    expect(translate.calls).toHaveLength(0)

    queue.request('b')
    await vi.advanceTimersByTimeAsync(100)
    queue.dispose()
    translate.calls[0]!.resolve('late')
    await settle()
    queue.request('c')
    await vi.advanceTimersByTimeAsync(500)
    expect(results).toEqual([])
    expect(translate.calls).toHaveLength(1)
  })
})
