import { describe, expect, it } from 'vitest'
import { ThumbnailQueue, type Thumb } from './thumbnail-queue'

/** A fetch whose answers the test releases by hand, recording every request. */
function manualFetch() {
  const requests: string[][] = []
  const resolvers: Array<() => void> = []
  const fetch = (paths: string[]) => {
    requests.push(paths)
    return new Promise<Array<{ path: string; image: string | null; problem: string | null }>>((resolve) => {
      resolvers.push(() => resolve(paths.map((path) => ({ path, image: `data:image/png;base64,${path}`, problem: null }))))
    })
  }
  const releaseAll = async () => {
    while (resolvers.length > 0) {
      resolvers.shift()!()
      await new Promise((r) => setTimeout(r, 0))
    }
  }
  return { fetch, requests, releaseAll }
}

const paths = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `/data/img-${from + i}.png`)

describe('ThumbnailQueue', () => {
  it('asks for the wanted paths in batches, at most two requests at a time', async () => {
    const { fetch, requests, releaseAll } = manualFetch()
    const cache = new Map<string, Thumb>()
    const queue = new ThumbnailQueue({ fetch, cache, batchSize: 10, maxInFlight: 2 })
    queue.want(paths(0, 35))
    expect(requests.map((r) => r.length)).toEqual([10, 10])
    expect(queue.inFlight).toBe(2)
    await releaseAll()
    expect(requests.map((r) => r.length)).toEqual([10, 10, 10, 5])
    expect(cache.size).toBe(35)
    expect(cache.get('/data/img-3.png')).toEqual({ image: 'data:image/png;base64,/data/img-3.png', problem: null })
  })

  it('never asks again for what it has or is already fetching', async () => {
    const { fetch, requests, releaseAll } = manualFetch()
    const queue = new ThumbnailQueue({ fetch, cache: new Map(), batchSize: 10 })
    queue.want(paths(0, 10))
    queue.want(paths(0, 10))
    await releaseAll()
    queue.want(paths(5, 15))
    await releaseAll()
    expect(requests).toEqual([paths(0, 10), paths(10, 15)])
  })

  it('forgets paths scrolled past before their turn came', async () => {
    const { fetch, requests, releaseAll } = manualFetch()
    const queue = new ThumbnailQueue({ fetch, cache: new Map(), batchSize: 10, maxInFlight: 1 })
    queue.want(paths(0, 30))
    queue.want(paths(5000, 5010)) // a fling to the middle of a 10,000-image folder
    await releaseAll()
    expect(requests).toEqual([paths(0, 10), paths(5000, 5010)])
  })

  it('evicts the least recently wanted thumbnails beyond its capacity, never the visible ones', async () => {
    const { fetch, releaseAll } = manualFetch()
    const cache = new Map<string, Thumb>()
    const queue = new ThumbnailQueue({ fetch, cache, batchSize: 10, capacity: 15 })
    queue.want(paths(0, 10))
    await releaseAll()
    queue.want(paths(10, 20))
    await releaseAll()
    expect(cache.size).toBe(15)
    for (const path of paths(10, 20)) expect(cache.has(path)).toBe(true)
    expect(cache.has('/data/img-0.png')).toBe(false)
    expect(cache.has('/data/img-9.png')).toBe(true)
  })

  it('records a failed request as a problem for those paths instead of retrying forever', async () => {
    const requests: string[][] = []
    const cache = new Map<string, Thumb>()
    const queue = new ThumbnailQueue({
      fetch: async (batch) => {
        requests.push(batch)
        throw new Error('disconnected')
      },
      cache,
    })
    queue.want(paths(0, 3))
    await new Promise((r) => setTimeout(r, 0))
    expect(requests).toHaveLength(1)
    expect(cache.get('/data/img-1.png')).toEqual({ image: null, problem: 'disconnected' })
  })

  it('drops answers that arrive after it was disposed', async () => {
    const { fetch, releaseAll } = manualFetch()
    const cache = new Map<string, Thumb>()
    const queue = new ThumbnailQueue({ fetch, cache })
    queue.want(paths(0, 5))
    queue.dispose()
    await releaseAll()
    expect(cache.size).toBe(0)
  })
})
