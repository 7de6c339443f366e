/**
 * Published pix2pix/CycleGAN generator state_dicts → Ganvas generators with those weights.
 * Which key goes where: generator-layout.ts. Layouts: PyTorch Conv2d weights are OIHW and
 * ConvTranspose2d weights IOHW; TF.js conv2d kernels are HWIO and conv2dTranspose kernels
 * [kH, kW, out, in]. Both are the same permutation, [2, 3, 1, 0], with no spatial flip: each
 * framework's transposed conv is the input-gradient of its own (unflipped) correlation.
 */
import * as tf from '@tensorflow/tfjs'
import { resnetGenerator } from '../models/resnet'
import { unetGenerator } from '../models/unet'
import {
  GENERATOR_ARCHS,
  RESNET_BLOCKS,
  UNET_LEVELS,
  generatorLayout,
  isUnet,
  resnetHasDropout,
  unetBlock,
  type GeneratorArch,
  type GeneratorInfo,
  type LayoutEntry,
  type StateDict,
  type StateTensor,
} from './generator-layout'

export { GENERATOR_ARCHS, type GeneratorArch, type GeneratorInfo, type StateDict } from './generator-layout'

/** Square side the published models were trained at; the default input size of an import. */
export const ARCH_RESOLUTION: Record<GeneratorArch, number> = { unet_256: 256, unet_128: 128, resnet_9blocks: 256, resnet_6blocks: 128 }

const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`

/** Keys saved from nn.DataParallel start with `module.`; the published loader strips it too. */
export function stripModulePrefix(sd: StateDict): StateDict {
  const keys = [...sd.keys()]
  if (keys.length === 0 || !keys.every((k) => k.startsWith('module.'))) return sd
  return new Map([...sd].map(([k, v]) => [k.slice('module.'.length), v]))
}

function weight(sd: StateDict, key: string, rank: number, what: string): StateTensor {
  const t = sd.get(key)
  if (!t) throw new Error(`${what}: state_dict has no "${key}"`)
  if (t.shape.length !== rank) throw new Error(`${what}: "${key}" has shape ${fmt(t.shape)}, expected ${rank} dimensions`)
  return t
}

/** Reads the family's dimensions off its first and last layers; the depth decides the published name. */
function dimensionsFor(sd: StateDict, family: 'unet' | 'resnet'): GeneratorInfo {
  if (family === 'unet') {
    const first = weight(sd, 'model.model.0.weight', 4, 'U-Net outer conv')
    const last = weight(sd, 'model.model.3.weight', 4, 'U-Net outer deconv')
    let levels = 1
    while (sd.has(`${unetBlock(levels)}.model.1.weight`)) levels++
    const arch = Object.keys(UNET_LEVELS).find((a) => UNET_LEVELS[a] === levels) as GeneratorArch | undefined
    if (!arch) throw new Error(`this U-Net has ${levels} levels; Ganvas imports unet_256 (8) and unet_128 (7)`)
    return { arch, ngf: first.shape[0]!, inputChannels: first.shape[1]!, outputChannels: last.shape[1]! }
  }
  const first = weight(sd, 'model.1.weight', 4, 'ResNet stem conv')
  let blocks = 0
  while (sd.has(`model.${10 + blocks}.conv_block.1.weight`)) blocks++
  const arch = Object.keys(RESNET_BLOCKS).find((a) => RESNET_BLOCKS[a] === blocks) as GeneratorArch | undefined
  if (!arch) throw new Error(`this ResNet has ${blocks} residual blocks; Ganvas imports resnet_9blocks and resnet_6blocks`)
  const last = weight(sd, `model.${17 + blocks}.weight`, 4, 'ResNet head conv')
  return { arch, ngf: first.shape[0]!, inputChannels: first.shape[1]!, outputChannels: last.shape[0]! }
}

/** The published architecture, width and channels of a generator state_dict; throws when it is none of them. */
export function inferArchitecture(stateDict: StateDict): GeneratorInfo {
  const sd = stripModulePrefix(stateDict)
  if (sd.has('model.model.0.weight')) return dimensionsFor(sd, 'unet')
  if (sd.has('model.1.weight') && sd.has('model.10.conv_block.1.weight')) return dimensionsFor(sd, 'resnet')
  const sample = [...sd.keys()].slice(0, 3).join(', ') || 'no keys at all'
  throw new Error(
    `not a pix2pix/CycleGAN generator state_dict (no "model.model.0.weight" as in a U-Net or "model.1.weight" as in a ResNet; it has ${sample}…)`,
  )
}

/** Checks every key and shape against the layout; the first problem is named, with a count of the rest. */
function checkKeys(sd: StateDict, info: GeneratorInfo, entries: LayoutEntry[], ignorable: Set<string>): void {
  const problems: string[] = []
  const expected = new Set(entries.map((e) => e.key))
  const what = `${info.arch} (ngf ${info.ngf}, ${info.inputChannels}→${info.outputChannels} channels)`
  for (const e of entries) {
    const t = sd.get(e.key)
    if (!t) problems.push(`missing key "${e.key}" (${fmt(e.shape)} for layer ${e.layer})`)
    else if (fmt(t.shape) !== fmt(e.shape)) problems.push(`"${e.key}" has shape ${fmt(t.shape)}, expected ${fmt(e.shape)}`)
    else if (!t.data) problems.push(`"${e.key}" is ${t.dtype}, expected floating point`)
  }
  for (const [key, t] of sd) {
    if (!expected.has(key) && !ignorable.has(key)) problems.push(`unexpected key "${key}" ${fmt(t.shape)}`)
  }
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : ''
    throw new Error(`not a ${what} generator: ${problems[0]}${more}`)
  }
}

/** PyTorch [a, b, kH, kW] → TF.js [kH, kW, b, a]: conv OIHW → HWIO, and deconv IOHW → [kH, kW, O, I]. */
export function permute2310(data: Float32Array, shape: readonly number[]): Float32Array {
  const [a, b, h, w] = shape as [number, number, number, number]
  const out = new Float32Array(data.length)
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < b; j++) {
      const src = (i * b + j) * h * w
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) out[((y * w + x) * b + j) * a + i] = data[src + y * w + x]!
      }
    }
  }
  return out
}

export interface BuildOptions {
  /** Asserts the architecture instead of inferring it. */
  arch?: GeneratorArch
  /** Input side length; defaults to the architecture's published resolution. */
  size?: number
}

/** A Ganvas generator (eval: BatchNorm running statistics; dropout off under predict) holding the checkpoint's weights. */
export function buildGanvasGenerator(stateDict: StateDict, options: BuildOptions = {}): tf.LayersModel {
  const sd = stripModulePrefix(stateDict)
  const info = resolveInfo(sd, options.arch)
  const size = options.size ?? ARCH_RESOLUTION[info.arch]
  const { entries, ignorable } = generatorLayout(info, { resnetDropout: resnetHasDropout(sd) })
  checkKeys(sd, info, entries, ignorable)
  const unet = isUnet(info.arch)
  const step = unet ? 2 ** UNET_LEVELS[info.arch]! : 4
  if (!Number.isInteger(size) || size <= 0 || size % step !== 0) {
    throw new Error(`${info.arch} needs a size that is a multiple of ${step}, got ${size}`)
  }
  const common = { ngf: info.ngf, inputChannels: info.inputChannels, outputChannels: info.outputChannels, size }
  const model = unet
    ? unetGenerator({ ...common, levels: UNET_LEVELS[info.arch]!, norm: 'batch', dropout: true })
    : resnetGenerator({ ...common, blocks: RESNET_BLOCKS[info.arch]!, norm: 'instance' })
  try {
    setWeights(model, sd, entries)
  } catch (error) {
    model.dispose()
    throw error
  }
  return model
}

function resolveInfo(sd: StateDict, arch: GeneratorArch | undefined): GeneratorInfo {
  if (arch === undefined) return inferArchitecture(sd)
  if (!GENERATOR_ARCHS.includes(arch)) throw new Error(`unknown architecture "${String(arch)}"; use one of ${GENERATOR_ARCHS.join(', ')}`)
  const inferred = inferArchitecture(sd)
  if (inferred.arch !== arch) throw new Error(`this checkpoint is a ${inferred.arch} generator, not ${arch}`)
  return inferred
}

function setWeights(model: tf.LayersModel, sd: StateDict, entries: LayoutEntry[]): void {
  const byLayer = new Map<string, Map<string, LayoutEntry>>()
  for (const e of entries) byLayer.set(e.layer, (byLayer.get(e.layer) ?? new Map()).set(e.role, e))
  for (const layer of model.layers) {
    if (layer.weights.length === 0) continue
    const mine = byLayer.get(layer.name)
    const values = layer.weights.map((w) => {
      const role = w.originalName.slice(w.originalName.lastIndexOf('/') + 1)
      const e = mine?.get(role)
      // A Ganvas layer the layout does not fill is a bug in the layout, not in the checkpoint.
      if (!e) throw new Error(`internal: no state_dict key maps to ${w.originalName}`)
      const t = sd.get(e.key)!
      const data = e.role === 'kernel' ? permute2310(t.data!, t.shape) : t.data!
      return tf.tensor(data, w.shape as number[], 'float32')
    })
    layer.setWeights(values)
    tf.dispose(values)
    byLayer.delete(layer.name)
  }
  if (byLayer.size > 0) throw new Error(`internal: no Ganvas layer named ${[...byLayer.keys()].join(', ')}`)
}

/** Parameters as PyTorch counts them (`net.parameters()`): weights and biases, not BatchNorm statistics. */
export function stateDictParamCount(stateDict: StateDict): number {
  let sum = 0
  for (const [key, t] of stateDict) {
    if (key.endsWith('.weight') || key.endsWith('.bias')) sum += t.shape.reduce((a, b) => a * b, 1)
  }
  return sum
}
