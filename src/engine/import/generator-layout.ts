/**
 * Where each tensor of a published pix2pix/CycleGAN generator state_dict lives in Ganvas's models
 * (src/engine/models/unet.ts, resnet.ts). The published generators are nested nn.Sequential
 * modules, so their keys are positional:
 *
 *   U-Net   model.model.0 (outer conv) · model.model.1 (level 1 block) · model.model.3 (outer deconv)
 *           level block P: P.model.1 conv · P.model.2 BatchNorm · P.model.3 inner block ·
 *           P.model.5 deconv · P.model.6 BatchNorm (innermost: P.model.1 conv · P.model.3 deconv · P.model.4 BN)
 *   ResNet  model.1 stem · model.4, model.7 down · model.{10+b}.conv_block.{1,5} blocks ·
 *           model.{10+n}, model.{13+n} deconvs · model.{17+n} head; InstanceNorm layers have no keys
 */
import { GeneratorArch as GeneratorArchSchema, type GeneratorArch } from '../../shared/schemas'
/** What the mapping needs of a state_dict; the reader in ./pytorch returns a Map of these. */
export interface StateTensor {
  dtype: string
  shape: number[]
  data: Float32Array | null
}
export type StateDict = ReadonlyMap<string, StateTensor>

export type { GeneratorArch }
export const GENERATOR_ARCHS: readonly GeneratorArch[] = GeneratorArchSchema.options

export interface GeneratorInfo {
  arch: GeneratorArch
  ngf: number
  inputChannels: number
  outputChannels: number
}

/** Ganvas weight names (the part after the layer name in a LayerVariable's name). */
export type WeightRole = 'kernel' | 'bias' | 'gamma' | 'beta' | 'moving_mean' | 'moving_variance'

export interface LayoutEntry {
  key: string
  shape: number[]
  layer: string
  role: WeightRole
}

export interface Layout {
  entries: LayoutEntry[]
  /** Keys that may be present and carry nothing Ganvas uses (BatchNorm step counters, stray InstanceNorm stats). */
  ignorable: Set<string>
}

export const UNET_LEVELS: Record<string, number> = { unet_256: 8, unet_128: 7 }
export const RESNET_BLOCKS: Record<string, number> = { resnet_9blocks: 9, resnet_6blocks: 6 }
export const isUnet = (arch: GeneratorArch) => arch in UNET_LEVELS

/** The state_dict prefix of U-Net level `level` (1 = the block inside the outermost one). */
export const unetBlock = (level: number) => 'model.model.1' + '.model.3'.repeat(level - 1)

/** Published ResNet blocks built with use_dropout have Dropout at conv_block.4, shifting the second conv. */
export const resnetHasDropout = (sd: StateDict) => sd.has('model.10.conv_block.6.weight')

const conv = (key: string, layer: string, shape: number[], bias: boolean): LayoutEntry[] => [
  { key: `${key}.weight`, shape, layer, role: 'kernel' },
  ...(bias ? [{ key: `${key}.bias`, shape: [shape[0]!], layer, role: 'bias' as const }] : []),
]
/** ConvTranspose2d stores [in, out, kH, kW]; its bias has `out` entries. */
const deconv = (key: string, layer: string, shape: number[], bias: boolean): LayoutEntry[] => [
  { key: `${key}.weight`, shape, layer, role: 'kernel' },
  ...(bias ? [{ key: `${key}.bias`, shape: [shape[1]!], layer, role: 'bias' as const }] : []),
]
const batchNorm = (key: string, layer: string, channels: number, ignorable: Set<string>): LayoutEntry[] => {
  ignorable.add(`${key}.num_batches_tracked`)
  const roles: [string, WeightRole][] = [['weight', 'gamma'], ['bias', 'beta'], ['running_mean', 'moving_mean'], ['running_var', 'moving_variance']]
  return roles.map(([suffix, role]) => ({ key: `${key}.${suffix}`, shape: [channels], layer, role }))
}
/** InstanceNorm(affine=False) has no keys, but PyTorch < 0.4 saved running statistics for it. */
const instanceNorm = (key: string, ignorable: Set<string>) => {
  for (const suffix of ['running_mean', 'running_var', 'num_batches_tracked']) ignorable.add(`${key}.${suffix}`)
}

export function generatorLayout(info: GeneratorInfo, options: { resnetDropout?: boolean } = {}): Layout {
  return isUnet(info.arch) ? unetLayout(info) : resnetLayout(info, options.resnetDropout ?? false)
}

function unetLayout({ arch, ngf, inputChannels, outputChannels }: GeneratorInfo): Layout {
  const levels = UNET_LEVELS[arch]!
  const width = (level: number) => ngf * Math.min(2 ** level, 8)
  const ignorable = new Set<string>()
  const entries = [
    ...conv('model.model.0', 'down0_conv', [ngf, inputChannels, 4, 4], false),
    ...deconv('model.model.3', 'up0_deconv', [2 * ngf, outputChannels, 4, 4], true),
  ]
  for (let level = 1; level < levels; level++) {
    const p = `${unetBlock(level)}.model`
    const [inner, outer] = [width(level), width(level - 1)]
    entries.push(...conv(`${p}.1`, `down${level}_conv`, [inner, outer, 4, 4], false))
    if (level === levels - 1) {
      entries.push(...deconv(`${p}.3`, `up${level}_deconv`, [inner, outer, 4, 4], false))
      entries.push(...batchNorm(`${p}.4`, `up${level}_norm`, outer, ignorable))
    } else {
      entries.push(...batchNorm(`${p}.2`, `down${level}_norm`, inner, ignorable))
      entries.push(...deconv(`${p}.5`, `up${level}_deconv`, [2 * inner, outer, 4, 4], false))
      entries.push(...batchNorm(`${p}.6`, `up${level}_norm`, outer, ignorable))
    }
  }
  return { entries, ignorable }
}

function resnetLayout({ arch, ngf, inputChannels, outputChannels }: GeneratorInfo, dropout: boolean): Layout {
  const blocks = RESNET_BLOCKS[arch]!
  const ignorable = new Set<string>()
  const entries = [...conv('model.1', 'stem_conv', [ngf, inputChannels, 7, 7], true)]
  instanceNorm('model.2', ignorable)
  entries.push(...conv('model.4', 'down0_conv', [2 * ngf, ngf, 3, 3], true))
  instanceNorm('model.5', ignorable)
  entries.push(...conv('model.7', 'down1_conv', [4 * ngf, 2 * ngf, 3, 3], true))
  instanceNorm('model.8', ignorable)
  const second = dropout ? 6 : 5
  for (let b = 0; b < blocks; b++) {
    const p = `model.${10 + b}.conv_block`
    entries.push(...conv(`${p}.1`, `res${b}_conv1`, [4 * ngf, 4 * ngf, 3, 3], true))
    entries.push(...conv(`${p}.${second}`, `res${b}_conv2`, [4 * ngf, 4 * ngf, 3, 3], true))
    instanceNorm(`${p}.2`, ignorable)
    instanceNorm(`${p}.${second + 1}`, ignorable)
  }
  entries.push(...deconv(`model.${10 + blocks}`, 'up0_deconv', [4 * ngf, 2 * ngf, 3, 3], true))
  instanceNorm(`model.${11 + blocks}`, ignorable)
  entries.push(...deconv(`model.${13 + blocks}`, 'up1_deconv', [2 * ngf, ngf, 3, 3], true))
  instanceNorm(`model.${14 + blocks}`, ignorable)
  entries.push(...conv(`model.${17 + blocks}`, 'head_conv', [outputChannels, ngf, 7, 7], true))
  return { entries, ignorable }
}
