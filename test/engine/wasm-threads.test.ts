/**
 * The multi-threaded wasm backend (src/engine/backend/wasm-threads.ts), each run in a process of its
 * own since the thread count is fixed when the backend starts: it starts on the threads asked for, its
 * outputs and gradients equal the single-threaded ones within 1e-4 (a Winograd conv among them, its
 * transforms in SIMD on either build's memory), and the process still ends by itself.
 */
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

interface Probe { device: string; threads: number; simdTransforms: boolean; output: number[]; gradients: number[][] }

function probe(threads: string): Probe {
  const env = { ...process.env, GANVAS_WASM_THREADS: threads }
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/fixtures/wasm-threads/probe.ts'], { env, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 })
  expect(run.error, 'the probe did not end by itself within 2 minutes').toBeUndefined()
  expect(run.status, run.stderr.slice(0, 500)).toBe(0)
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Probe
}

function expectClose(actual: number[], expected: number[], what: string) {
  expect(actual.length, what).toBe(expected.length)
  // (A loop, not Math.max(...): the wide conv's gradient has too many elements to spread.)
  let [maxRef, maxDiff] = [0, 0]
  expected.forEach((e, i) => {
    maxRef = Math.max(maxRef, Math.abs(e))
    maxDiff = Math.max(maxDiff, Math.abs(actual[i]! - e))
  })
  expect(maxRef, `${what}: reference is trivial`).toBeGreaterThan(1e-3)
  expect(maxDiff / maxRef, what).toBeLessThan(1e-4)
}

describe('wasm backend on threads', () => {
  it('computes what one thread computes, on the threads asked for, and exits by itself', () => {
    const one = probe('1')
    const two = probe('2')
    // The Winograd SIMD transforms run on both builds' memories (plain, and the threaded one's shared).
    expect(one).toMatchObject({ threads: 1, device: expect.stringContaining('1 thread'), simdTransforms: true })
    expect(two).toMatchObject({ threads: 2, device: expect.stringContaining('2 threads'), simdTransforms: true })
    expectClose(two.output, one.output, 'output')
    expect(two.gradients).toHaveLength(5)
    two.gradients.forEach((g, i) => expectClose(g, one.gradients[i]!, `gradient ${i}`))
  })

  it('says what is wrong with a bad GANVAS_WASM_THREADS', () => {
    const env = { ...process.env, GANVAS_WASM_THREADS: 'many' }
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/fixtures/wasm-threads/probe.ts'], { env, encoding: 'utf8', timeout: 120_000 })
    expect(run.status).not.toBe(0)
    expect(run.stderr).toMatch(/GANVAS_WASM_THREADS must be a whole number ≥ 1 \(got "many"\)/)
  })
})
