/**
 * loadLayersNetwork against what it replaces: every architecture Ganvas saves comes back with the
 * topology tf.loadLayersModel gives, the same weights bit for bit and the same outputs, on wasm (read into the heap) and
 * on cpu; broken files get an error naming the file, and are left as they were.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seededTensor, use, type Backend } from '../backend/wasm-test-helpers'
import { dcganDiscriminator, dcganGenerator } from '../models/dcgan'
import { patchGanDiscriminator } from '../models/patchgan'
import { resnetGenerator } from '../models/resnet'
import { unetGenerator } from '../models/unet'
import { loadLayersNetwork } from './load-network'
import { modelFiles } from './model-folder'

const dcgan = { size: 32, z: 16, ngf: 8, ndf: 8, classes: 3 }
const networks: Record<string, () => tf.LayersModel> = {
  'unet (batch norm, dropout)': () => unetGenerator({ levels: 5, ngf: 4, size: 32, inputChannels: 3, outputChannels: 3, seed: 1 }),
  'resnet (instance norm, reflection pad)': () => resnetGenerator({ blocks: 2, ngf: 4, size: 32, inputChannels: 3, outputChannels: 3, seed: 2 }),
  'patchgan': () => patchGanDiscriminator({ inputChannels: 6, ndf: 4, size: 32, seed: 3 }),
  'conditional DCGAN generator': () => dcganGenerator(dcgan, 4),
  'conditional DCGAN critic, spectral norm': () => dcganDiscriminator(dcgan, { norm: 'none', spectralNorm: true }, 5),
}

let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ganvas-load-'))
})
afterAll(() => rm(root, { recursive: true, force: true }))

/** Saves a network as a model folder does; returns its folder. */
async function save(model: tf.LayersModel, name: string): Promise<string> {
  const dir = join(root, name.replace(/\W+/g, '-'))
  const files = await modelFiles(model)
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'model.json'), files['model.json'])
  await writeFile(join(dir, 'weights.bin'), files['weights.bin'])
  return dir
}

const inputsOf = (model: tf.LayersModel) =>
  model.inputs.map((input, i) =>
    input.dtype === 'int32' ? tf.tensor([0, 2], [2, 1], 'int32') : seededTensor([2, ...(input.shape.slice(1) as number[])], 10 + i),
  )

async function outputsOf(model: tf.LayersModel): Promise<number[]> {
  const y = tf.tidy(() => {
    const inputs = inputsOf(model)
    return model.predict(inputs.length === 1 ? inputs[0]! : inputs) as tf.Tensor
  })
  const values = Array.from(await y.data())
  y.dispose()
  return values
}

const weightsOf = (model: tf.LayersModel) => model.weights.map((w) => ({ name: w.originalName, values: Array.from(w.read().dataSync()) }))

describe.each<Backend>(['wasm', 'cpu'])('loadLayersNetwork on %s', (backend) => {
  it.each(Object.keys(networks))('brings back %s exactly', async (name) => {
    await use(backend)
    const original = networks[name]!()
    const dir = await save(original, `${backend}-${name}`)
    const loaded = await loadLayersNetwork(dir)
    const files = await modelFiles(original)
    const { modelTopology, weightsManifest } = JSON.parse(files['model.json']) as { modelTopology: {}; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] }
    const byTfjs = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology, weightSpecs: weightsManifest[0]!.weights, weightData: files['weights.bin'].slice().buffer }))
    try {
      expect(loaded.toJSON(null, false)).toEqual(byTfjs.toJSON(null, false))
      expect(weightsOf(loaded)).toEqual(weightsOf(original))
      expect(await outputsOf(loaded)).toEqual(await outputsOf(original))
      // The loaded weights are its own: training it does not touch the original.
      const first = loaded.weights[0]!
      tf.tidy(() => (first.read() as tf.Variable).assign(tf.onesLike(first.read())))
      expect(weightsOf(original)[0]!.values.some((v) => v !== 1)).toBe(true)
    } finally {
      original.dispose()
      loaded.dispose()
      byTfjs.dispose()
    }
  })
})

describe('loadLayersNetwork on broken files', () => {
  let dir: string
  let json: string
  let weights: Buffer
  beforeAll(async () => {
    await use('wasm')
    const model = networks['conditional DCGAN generator']!()
    dir = await save(model, 'broken')
    model.dispose()
    json = await readFile(join(dir, 'model.json'), 'utf8')
    weights = await readFile(join(dir, 'weights.bin'))
  })

  async function expectError(modelJson: string, weightsBin: Uint8Array, message: RegExp) {
    const case_ = await mkdtemp(join(root, 'case-'))
    await writeFile(join(case_, 'model.json'), modelJson)
    await writeFile(join(case_, 'weights.bin'), weightsBin)
    const before = tf.memory().numTensors
    await expect(loadLayersNetwork(case_)).rejects.toThrow(message)
    expect(tf.memory().numTensors, 'the half-built network is freed').toBe(before)
    expect(await readFile(join(case_, 'weights.bin'))).toEqual(Buffer.from(weightsBin))
    expect(await readFile(join(case_, 'model.json'), 'utf8')).toBe(modelJson)
  }

  const edit = (change: (specs: { name: string; shape: number[] }[]) => void) => {
    const parsed = JSON.parse(json) as { weightsManifest: { weights: { name: string; shape: number[] }[] }[] }
    change(parsed.weightsManifest[0]!.weights)
    return JSON.stringify(parsed)
  }

  it('refuses a truncated weights file', () => expectError(json, weights.subarray(0, weights.length - 4), /weights\.bin holds \d+ bytes but model\.json describes \d+/))
  it('refuses a weight the network lacks', () => expectError(edit((s) => (s[0]!.name = 'nope/kernel')), weights, /lists weight "nope\/kernel", which the network does not have/))
  it('refuses a missing weight', () => expectError(edit((s) => s.pop()), weights, /has no values for 1 weights of the network/))
  it('refuses a weight of another shape', () => expectError(edit((s) => s[0]!.shape.reverse()), weights, /is \[[\d,]+\] in the file but \[[\d,]+\] in the network/))
  it('refuses a model.json without a topology', () => expectError(JSON.stringify({ weightsManifest: [] }), weights, /is not a TF\.js layers model/))

  it('loads quantised weights of a Sequential model through TF.js (uint8: value = q·scale + min)', async () => {
    const q = new Uint8Array([0, 1, 2, 255])
    const topology = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [2], useBias: false, name: 'd' })] })
    const modelJson = JSON.parse(await modelFiles(topology).then((f) => f['model.json'])) as { weightsManifest: { weights: unknown[] }[] }
    topology.dispose()
    modelJson.weightsManifest[0]!.weights = [{ name: 'd/kernel', shape: [2, 2], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } }]
    const case_ = await mkdtemp(join(root, 'quantised-'))
    await writeFile(join(case_, 'model.json'), JSON.stringify(modelJson))
    await writeFile(join(case_, 'weights.bin'), q)
    const loaded = await loadLayersNetwork(case_)
    expect(Array.from(loaded.weights[0]!.read().dataSync())).toEqual([-1, -0.5, 0, 126.5])
    loaded.dispose()
  })
})
