import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registerWasmTrainingKernels } from '../backend/wasm-kernels'
import { loadTranslator, runGenerator } from './translate'
import { savePix2pix, TEST_SIZE } from './test-models'

let dir: string
beforeAll(async () => {
  registerWasmTrainingKernels()
  await tf.setBackend('wasm')
  dir = await mkdtemp(join(tmpdir(), 'ganvas-mode-'))
  await savePix2pix(dir, 'AtoB')
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('inference modes', () => {
  it("'reference' (batch statistics, seeded dropout) differs from 'eval', repeats exactly, and leaks nothing", async () => {
    const square = Uint8Array.from({ length: TEST_SIZE * TEST_SIZE * 3 }, (_, i) => (i * 37) % 256)
    const evalMode = await loadTranslator(dir)
    const reference = await loadTranslator(dir, { mode: 'reference' })
    const before = tf.memory().numTensors
    const a = runGenerator(evalMode.generator, square, TEST_SIZE, evalMode.mode)
    const b = runGenerator(reference.generator, square, TEST_SIZE, reference.mode)
    const c = runGenerator(reference.generator, square, TEST_SIZE, reference.mode)
    expect(tf.memory().numTensors).toBe(before)
    expect(b).not.toEqual(a)
    expect(c).toEqual(b)
    expect(evalMode.mode).toBe('eval')
    evalMode.dispose()
    reference.dispose()
  })
})
