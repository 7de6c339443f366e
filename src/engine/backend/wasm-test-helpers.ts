/**
 * Helpers for the wasm kernel tests: seeded data, running code on one backend and bringing back plain
 * arrays, and the closeness check (documented in wasm-kernels.test.ts).
 */
import { expect } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { registerWasmTrainingKernels } from './wasm-kernels'
import { prepareWinogradSimd } from './wasm-winograd-simd'

export type Backend = 'cpu' | 'wasm'
export type Shape4 = [number, number, number, number]
export type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]]

/** Seeded values in [-1, 1) (mulberry32), so every run and both backends see the same data. */
export function seeded(n: number, seed: number): Float32Array {
  let s = seed >>> 0
  return Float32Array.from({ length: n }, () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = Math.imul(s ^ (s >>> 15), 1 | s)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1
  })
}
export const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1)
export const seededTensor = (shape: number[], seed: number) => tf.tensor(seeded(size(shape), seed), shape)

export async function use(backend: Backend) {
  if (backend === 'wasm') registerWasmTrainingKernels()
  await tf.setBackend(backend)
  await tf.ready()
  if (backend === 'wasm') await prepareWinogradSimd(tf.backend())
}

/** Runs fn on a backend (so its tensors are made there) and brings back plain arrays only. */
export async function on(backend: Backend, fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  await use(backend)
  const outs = tf.tidy(fn)
  const values = outs.map((t) => t.dataSync() as Float32Array)
  tf.dispose(outs)
  return values
}

/** max|actual − expected| / max|expected| < 1e-4, with max|expected| > minRef (see wasm-kernels.test.ts). */
export function expectClose(actual: Float32Array | undefined, expected: Float32Array | undefined, what: string, minRef = 0.1) {
  if (!actual || !expected) throw new Error(`${what}: missing result`)
  expect(actual.length, what).toBe(expected.length)
  let maxDiff = 0
  let maxRef = 0
  expected.forEach((e, i) => {
    maxDiff = Math.max(maxDiff, Math.abs((actual[i] as number) - e))
    maxRef = Math.max(maxRef, Math.abs(e))
  })
  expect(maxRef, `${what}: reference is trivial`).toBeGreaterThan(minRef)
  expect(maxDiff / Math.max(1e-6, maxRef), what).toBeLessThan(1e-4)
}
