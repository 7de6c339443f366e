/**
 * A published pix2pix/CycleGAN generator (a `*_net_G.pth` state_dict) becomes a normal Ganvas model
 * folder. U-Nets become pix2pix models (network "generator"); ResNets become CycleGAN models holding
 * the one generator, as generator_AtoB or generator_BtoA per `direction`. Used by the CLI and the studio.
 */
import { readFile, readdir, stat } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import type { LayersModel } from '@tensorflow/tfjs'
import type { ModelManifest } from '../../shared/schemas'
import { saveSnapshot } from '../storage/model-folder'
import { ARCH_RESOLUTION, buildGanvasGenerator, inferArchitecture, stateDictParamCount, type GeneratorArch } from './map-generator'
import { readPytorchCheckpoint } from './pytorch'

export interface ImportRequest {
  file: string
  out: string
  arch?: GeneratorArch
  name?: string
  direction?: 'AtoB' | 'BtoA'
}

export interface ImportResult {
  model: string
  family: 'pix2pix' | 'cyclegan'
  network: string
  arch: GeneratorArch
  ngf: number
  params: number
  direction: 'AtoB' | 'BtoA'
}

export async function importPytorchModel(
  request: ImportRequest,
  { version, onNote }: { version: string; onNote?: (message: string) => void },
): Promise<ImportResult> {
  const { file, out } = request
  await refuseExisting(out)
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`)
  })
  const named = (error: unknown) => new Error(`${basename(file)}: ${(error as Error).message}`)
  const stateDict = await readPytorchCheckpoint(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    ...(onNote ? { onNote } : {}),
  }).catch((error: unknown) => {
    throw named(error)
  })
  let generator: LayersModel
  let info: ReturnType<typeof inferArchitecture>
  try {
    info = inferArchitecture(stateDict)
    generator = buildGanvasGenerator(stateDict, request.arch ? { arch: request.arch } : {})
  } catch (error) {
    throw named(error)
  }
  const direction = request.direction ?? 'AtoB'
  const unet = info.arch.startsWith('unet')
  const network = unet ? 'generator' : `generator_${direction}`
  const manifest: Omit<ModelManifest, 'weights'> = {
    format: 'ganvas-model',
    formatVersion: 1,
    name: request.name ?? basename(file, extname(file)),
    family: unet ? 'pix2pix' : 'cyclegan',
    resolution: ARCH_RESOLUTION[info.arch],
    channels: info.outputChannels,
    training: { importedFrom: basename(file), ...info, direction, ganvasVersion: version },
    stepsDone: 0,
    dataset: null,
    metrics: {},
    created: new Date().toISOString(),
  }
  try {
    await saveSnapshot(out, manifest, 0, { networks: { [network]: generator } })
  } finally {
    generator.dispose()
  }
  return { model: out, family: unet ? 'pix2pix' : 'cyclegan', network, arch: info.arch, ngf: info.ngf, params: stateDictParamCount(stateDict), direction }
}

/** The destination is unusable; callers name it their own way (--out, a model name). */
export class OutputExistsError extends Error {
  override name = 'OutputExistsError'
}

/** Never writes into a folder that holds anything: the user's files, or another model. */
async function refuseExisting(out: string): Promise<void> {
  const info = await stat(out).catch(() => null)
  if (!info) return
  if (!info.isDirectory()) throw new OutputExistsError(`${out} is a file; give a new folder for the model`)
  if ((await readdir(out)).length > 0) throw new OutputExistsError(`${out} already exists and is not empty; give a new folder for the model`)
}
