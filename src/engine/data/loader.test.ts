import { createHash } from 'node:crypto'
import { copyFile, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeBadFiles, writePairedShapes, writeUnpairedDomains } from '../../../test/helpers/synthetic-images'
import type { DecodeFn } from './decode'
import { PairedLoader, UnpairedLoader, type Batch, type BatchLoader } from './loader'
import { DatasetError, scanPaired, scanUnpaired, type PairedDataset } from './scan'

let root: string
const dir = (...parts: string[]) => join(root, ...parts)
const bits = (x: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength)
const sameBatch = (x: Batch, y: Batch) => bits(x.a).equals(bits(y.a)) && bits(x.b!).equals(bits(y.b!)) && x.names.join() === y.names.join()
const take = async (loader: BatchLoader, n: number) => {
  const out: Batch[] = []
  for (let i = 0; i < n; i++) out.push(await loader.next())
  return out
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ganvas-loader-'))
  await writePairedShapes(dir('aligned'), { count: 6, size: 16, layout: 'aligned', seed: 11 })
  await writePairedShapes(dir('same'), { count: 4, size: 16, layout: 'folders', seed: 12 })
  for (const f of await readdir(dir('same', 'A'))) await copyFile(dir('same', 'A', f), dir('same', 'B', f)) // B = A
  await writePairedShapes(dir('bad'), { count: 4, size: 16, layout: 'aligned', seed: 13 })
  await writeBadFiles(dir('bad'))
  await writeUnpairedDomains(dir('unpaired'), { count: 5, size: 16, seed: 14 })
  for (const f of ['shape-0003.png', 'shape-0004.png']) await rm(dir('unpaired', 'trainA', f)) // 3 A, 5 B
})
afterAll(() => rm(root, { recursive: true, force: true }))

describe('PairedLoader', () => {
  it('yields NHWC batches in [-1, 1], each epoch a shuffle of every pair', async () => {
    const loader = new PairedLoader(await scanPaired(dir('aligned')), { size: 16, batch: 2, seed: 1 })
    expect([loader.stepsPerEpoch, loader.loadSize, loader.epoch, loader.step]).toEqual([3, 18, 0, 0])
    const batches = await take(loader, 7)
    expect(batches.map((b) => b.epoch)).toEqual([0, 0, 0, 1, 1, 1, 2])
    expect(batches.map((b) => b.step)).toEqual([0, 1, 2, 3, 4, 5, 6])
    expect([loader.epoch, loader.step]).toEqual([2, 7])
    const firstEpoch = batches.slice(0, 3).flatMap((b) => b.names)
    expect(firstEpoch.sort()).toEqual(['shape-0000', 'shape-0001', 'shape-0002', 'shape-0003', 'shape-0004', 'shape-0005'])
    for (const b of batches) {
      expect([b.batch, b.size, b.a.length, b.b!.length]).toEqual([2, 16, 2 * 16 * 16 * 3, 2 * 16 * 16 * 3])
      expect(Math.min(...b.a, ...b.b!)).toBeGreaterThanOrEqual(-1)
      expect(Math.max(...b.a, ...b.b!)).toBeLessThanOrEqual(1)
    }
    expect(Math.min(...batches[0]!.a)).toBe(-1) // black outline
    expect(Math.max(...batches[0]!.a)).toBe(1) // white paper
    await loader.dispose()
  })

  it('crops and flips A and B of a pair identically', async () => {
    const loader = new PairedLoader(await scanPaired(dir('same')), { size: 12, loadSize: 16, batch: 2, seed: 2 })
    for (const b of await take(loader, 6)) expect(bits(b.a).equals(bits(b.b!))).toBe(true)
    await loader.dispose()
  })

  it('is deterministic for a seed and differs between seeds', async () => {
    const data = await scanPaired(dir('aligned'))
    const run = async (seed: number) => take(new PairedLoader(data, { size: 16, batch: 2, seed }), 4)
    const [x, y, z] = [await run(5), await run(5), await run(6)]
    expect(x.every((b, i) => sameBatch(b, y[i]!))).toBe(true)
    expect(x.every((b, i) => sameBatch(b, z[i]!))).toBe(false)
  })

  it('resumes exactly: a loader from the state after batch 3 yields batches 4..7 bit for bit', async () => {
    const data = await scanPaired(dir('aligned'))
    const first = new PairedLoader(data, { size: 16, batch: 2, seed: 7 })
    const batches = await take(first, 3)
    const state = JSON.parse(JSON.stringify(first.checkpointState())) // as stored in a checkpoint
    batches.push(...(await take(first, 4)))
    const resumed = new PairedLoader(data, { size: 16, batch: 2, seed: 999, state })
    expect([resumed.epoch, resumed.step, resumed.resumedExactly]).toEqual([0, 3, true])
    const rest = await take(resumed, 4)
    rest.forEach((b, i) => expect(sameBatch(b, batches[3 + i]!)).toBe(true))
    // A changed dataset cannot resume exactly: carry on in a fresh epoch rather than fail.
    const smaller: PairedDataset = { ...data, items: data.items.slice(1) }
    const changed = new PairedLoader(smaller, { size: 16, batch: 2, seed: 1, state })
    expect([changed.resumedExactly, changed.epoch, changed.step]).toEqual([false, 1, 3])
  })

  it('starts decoding the next batch before the trainer asks for it', async () => {
    const calls: string[] = []
    const decode: DecodeFn = async (ref, size) => {
      calls.push(`${ref.path}#${ref.half}`)
      return { data: new Uint8Array(size * size * 3), width: size, height: size }
    }
    const loader = new PairedLoader(await scanPaired(dir('aligned')), { size: 16, batch: 2, seed: 3, decode })
    const pending = loader.next()
    expect(calls).toHaveLength(8) // batch 0 and batch 1: 2 pairs × 2 halves each
    await pending
    expect(calls).toHaveLength(8) // batch 1 is under way while batch 0 trains
    await loader.next()
    expect(calls).toHaveLength(12)
    await loader.dispose()
  })

  it('dispose waits for decoding under way, then refuses more batches', async () => {
    const waiting: (() => void)[] = []
    const decode: DecodeFn = (_ref, size) =>
      new Promise((done) => waiting.push(() => done({ data: new Uint8Array(size * size * 3), width: size, height: size })))
    const loader = new PairedLoader(await scanPaired(dir('aligned')), { size: 16, seed: 3, decode })
    const first = loader.next()
    waiting.splice(0, 2).forEach((go) => go())
    await first
    let disposed = false
    const disposing = loader.dispose().then(() => (disposed = true))
    await new Promise((r) => setTimeout(r, 20))
    expect(disposed).toBe(false) // batch 1's decodes are still running
    waiting.splice(0).forEach((go) => go())
    await disposing
    await expect(loader.next()).rejects.toThrow(/disposed/)
  })

  it('skips a file that fails to decode mid-run, reports it once, and substitutes the same item every time', async () => {
    const data = await scanPaired(dir('bad')) // the header check lets truncated.png through
    expect(data.items.map((i) => i.name)).toContain('truncated')
    const reported: string[] = []
    const run = () => new PairedLoader(data, { size: 16, batch: 5, seed: 4, onSkip: (s) => reported.push(s.reason) })
    const [x, y] = [run(), run()]
    const [bx, by] = [await take(x, 3), await take(y, 3)]
    expect(reported).toHaveLength(2) // once per loader
    expect(reported[0]).toMatch(/corrupt or truncated/)
    expect(x.skipped.map((s) => relative(root, s.path))).toEqual(['bad/truncated.png'])
    for (const b of bx) expect(b.names).not.toContain('truncated')
    expect(bx.every((b, i) => sameBatch(b, by[i]!))).toBe(true)
  })

  it('says when the batch is larger than the dataset', async () => {
    const data = await scanPaired(dir('aligned'))
    expect(() => new PairedLoader(data, { size: 16, batch: 8, seed: 1 })).toThrow(DatasetError)
    expect(() => new PairedLoader(data, { size: 16, batch: 8, seed: 1 })).toThrow('The batch size 8 is larger than the 6 pairs in the dataset. Use a batch of 6 or fewer.')
  })
})

describe('UnpairedLoader', () => {
  it('runs max(|A|, |B|) items an epoch, A shuffled and B at random, and resumes exactly', async () => {
    const data = await scanUnpaired(dir('unpaired'))
    const loader = new UnpairedLoader(data, { size: 16, seed: 8 })
    expect(loader.stepsPerEpoch).toBe(5)
    const batches = await take(loader, 2)
    const state = loader.checkpointState()
    batches.push(...(await take(loader, 8)))
    expect(new Set(batches.slice(0, 5).map((b) => b.names[0]))).toEqual(new Set(['shape-0000', 'shape-0001', 'shape-0002']))
    for (const b of batches) expect(Math.min(...b.a, ...b.b!)).toBeGreaterThanOrEqual(-1)
    const rest = await take(new UnpairedLoader(data, { size: 16, seed: 0, state }), 8)
    rest.forEach((b, i) => expect(sameBatch(b, batches[2 + i]!)).toBe(true))
  })
})

describe("the user's folders", () => {
  const snapshot = async (top: string) => {
    const out: string[] = []
    const walk = async (d: string): Promise<void> => {
      for (const name of (await readdir(d)).sort()) {
        const path = join(d, name)
        const info = await stat(path)
        if (info.isDirectory()) await walk(path)
        else out.push(`${relative(top, path)} ${info.size} ${info.mtimeMs} ${info.mode} ${createHash('sha256').update(await readFile(path)).digest('hex')}`)
      }
    }
    await walk(top)
    return out
  }

  it('are unchanged by scanning and loading batches', async () => {
    const before = [await snapshot(dir('bad')), await snapshot(dir('unpaired'))]
    const paired = new PairedLoader(await scanPaired(dir('bad'), { verify: 'decode' }), { size: 16, batch: 2, seed: 1 })
    await take(paired, 4)
    await paired.dispose()
    const unpaired = new UnpairedLoader(await scanUnpaired(dir('unpaired')), { size: 16, batch: 2, seed: 1 })
    await take(unpaired, 4)
    await unpaired.dispose()
    expect([await snapshot(dir('bad')), await snapshot(dir('unpaired'))]).toEqual(before)
  })
})
