/**
 * Parity with PyTorch: the fixtures in test/fixtures/pytorch (made by make-fixtures.py with
 * python3-torch) hold the four published generator layouts with random weights, in both torch.save
 * formats, with an input and PyTorch's eval-mode output. Ganvas must reproduce that output.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { beforeAll, describe, expect, it } from 'vitest'
import { registerWasmTrainingKernels } from '../backend/wasm-kernels'
import { countTrainableParams } from '../models/params'
import { buildGanvasGenerator, inferArchitecture, permute2310, stateDictParamCount, type GeneratorArch, type StateDict } from './map-generator'
import { readPytorchCheckpoint } from './pytorch'

const DIR = fileURLToPath(new URL('../../../test/fixtures/pytorch', import.meta.url))
const TOLERANCE = 1e-4

interface Fixture {
  arch: GeneratorArch
  ngf: number
  inputChannels: number
  outputChannels: number
  size: number
  params: number
  checkpoints: { zip: string; legacy: string }
  input: { file: string; shape: number[] }
  output: { file: string; shape: number[] }
}
const manifest = JSON.parse(await readFile(join(DIR, 'manifest.json'), 'utf8')) as { fixtures: Record<string, Fixture> }
const fixtures = Object.values(manifest.fixtures)

const load = async (file: string) => readPytorchCheckpoint(new Uint8Array(await readFile(join(DIR, file))))

/** The recorded 8-bit input as the network sees it, and PyTorch's output. */
async function recorded(f: Fixture): Promise<{ x: tf.Tensor4D; want: Float32Array }> {
  const bytes = await readFile(join(DIR, f.input.file))
  const x = tf.tensor4d(Float32Array.from(bytes, (v) => v / 127.5 - 1), f.input.shape as [number, number, number, number])
  const out = await readFile(join(DIR, f.output.file))
  return { x, want: new Float32Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength)) }
}

async function maxError(model: tf.LayersModel, f: Fixture): Promise<number> {
  const { x, want } = await recorded(f)
  const y = model.predict(x) as tf.Tensor
  expect(y.shape).toEqual(f.output.shape)
  const got = await y.data()
  tf.dispose([x, y])
  let max = 0
  for (let i = 0; i < got.length; i++) max = Math.max(max, Math.abs(got[i]! - want[i]!))
  return max
}

beforeAll(() => registerWasmTrainingKernels())

describe.each(['wasm', 'cpu'])('PyTorch parity on %s (eval mode)', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend)
    await tf.ready()
  })
  const cases = fixtures.flatMap((f) => (['zip', 'legacy'] as const).map((format) => [f.arch, format, f] as const))
  it.each(cases)(`%s, %s format: output within ${TOLERANCE} of PyTorch's, same parameter count`, async (_arch, format, f) => {
    const sd = await load(f.checkpoints[format])
    const model = buildGanvasGenerator(sd, { size: f.size })
    try {
      expect(await maxError(model, f)).toBeLessThan(TOLERANCE)
      expect(countTrainableParams(model)).toBe(f.params)
      expect(stateDictParamCount(sd)).toBe(f.params)
    } finally {
      model.dispose()
    }
  })
})

describe('reading the architecture off the weights', () => {
  beforeAll(() => tf.setBackend('wasm'))

  it.each(fixtures.map((f) => [f.arch, f] as const))('%s: architecture, ngf and channels', async (_arch, f) => {
    expect(inferArchitecture(await load(f.checkpoints.zip))).toEqual({
      arch: f.arch,
      ngf: f.ngf,
      inputChannels: f.inputChannels,
      outputChannels: f.outputChannels,
    })
  })

  const resnet6 = manifest.fixtures.resnet_6blocks!
  it.each([
    ['saved from nn.DataParallel ("module." keys)', 'resnet_6blocks-dataparallel.pth'],
    ['from PyTorch < 0.4 (InstanceNorm running statistics)', 'resnet_6blocks-stray-stats.legacy.pth'],
  ])('a checkpoint %s loads and matches', async (_what, file) => {
    const sd = await load(file)
    expect(inferArchitecture(sd).arch).toBe('resnet_6blocks')
    const model = buildGanvasGenerator(sd, { size: resnet6.size })
    expect(await maxError(model, resnet6)).toBeLessThan(TOLERANCE)
    model.dispose()
  })

  it('defaults to the published resolution and accepts another', async () => {
    const sd = await load(manifest.fixtures.resnet_9blocks!.checkpoints.zip)
    for (const [options, side] of [[{}, 256], [{ size: 96 }, 96]] as const) {
      const model = buildGanvasGenerator(sd, options)
      expect(model.inputs[0]!.shape).toEqual([null, side, side, 3])
      model.dispose()
    }
    expect(() => buildGanvasGenerator(sd, { size: 90 })).toThrow('resnet_9blocks needs a size that is a multiple of 4, got 90')
  })
})

describe('refusals name the key and what was expected', () => {
  let unet: StateDict
  let resnet: StateDict
  beforeAll(async () => {
    await tf.setBackend('wasm')
    unet = await load(manifest.fixtures.unet_128!.checkpoints.zip)
    resnet = await load(manifest.fixtures.resnet_9blocks!.checkpoints.zip)
  })
  const without = (sd: StateDict, key: string) => new Map([...sd].filter(([k]) => k !== key))
  const build = (sd: StateDict, arch?: GeneratorArch) => () => buildGanvasGenerator(sd, arch ? { arch } : {})

  it('a discriminator is not a generator', async () => {
    const sd = await load('patchgan-discriminator.pth')
    expect(build(sd)).toThrow(/^not a pix2pix\/CycleGAN generator state_dict .*model\.0\.weight/)
  })

  it('a missing tensor', () => {
    const key = 'model.model.1.model.3.model.6.running_var'
    expect(build(without(unet, key))).toThrow(`not a unet_128 (ngf 3, 3→3 channels) generator: missing key "${key}" ([6] for layer up2_norm)`)
    expect(build(without(resnet, 'model.26.weight'))).toThrow('ResNet head conv: state_dict has no "model.26.weight"')
  })

  it('a tensor of the wrong shape', () => {
    const key = 'model.12.conv_block.5.weight'
    const sd = new Map(resnet).set(key, { dtype: 'float32', shape: [16, 16, 3, 1], data: new Float32Array(16 * 16 * 3) })
    expect(build(sd)).toThrow(`"${key}" has shape [16, 16, 3, 1], expected [16, 16, 3, 3]`)
  })

  it('an extra tensor, with a count of the other problems', () => {
    const sd = new Map(without(unet, 'model.model.3.bias')).set('model.model.9.weight', { dtype: 'float32', shape: [2], data: new Float32Array(2) })
    expect(build(sd)).toThrow(/missing key "model\.model\.3\.bias" .* \(and 1 more problem\)$/)
    expect(build(new Map(unet).set('model.model.9.weight', { dtype: 'float32', shape: [2], data: new Float32Array(2) }))).toThrow(
      'unexpected key "model.model.9.weight" [2]',
    )
  })

  it('integer weights', () => {
    const key = 'model.model.0.weight'
    const sd = new Map(unet).set(key, { ...unet.get(key)!, dtype: 'int64', data: null })
    expect(build(sd)).toThrow(`"${key}" is int64, expected floating point`)
  })

  it('an --arch that is not what the weights are', () => {
    expect(build(resnet, 'resnet_6blocks')).toThrow('this checkpoint is a resnet_9blocks generator, not resnet_6blocks')
    expect(build(unet, 'unet_256')).toThrow('this checkpoint is a unet_128 generator, not unet_256')
  })
})

it('kernels: PyTorch [a, b, kH, kW] becomes TF.js [kH, kW, b, a]', () => {
  const shape = [2, 3, 2, 2]
  const data = Float32Array.from({ length: 24 }, (_, i) => i)
  const out = permute2310(data, shape)
  const at = (a: number, b: number, y: number, x: number) => data[((a * 3 + b) * 2 + y) * 2 + x]
  for (let a = 0; a < 2; a++) for (let b = 0; b < 3; b++) for (let y = 0; y < 2; y++) for (let x = 0; x < 2; x++) {
    expect(out[((y * 2 + x) * 3 + b) * 2 + a]).toBe(at(a, b, y, x))
  }
})
