/**
 * `ganvas import pytorch FILE.pth --out MODEL_DIR`: a published pix2pix/CycleGAN generator
 * (a `*_net_G.pth` state_dict) becomes a normal Ganvas model folder that translate can use.
 * U-Nets become pix2pix models (network "generator"); ResNets become CycleGAN models holding the one
 * generator, as generator_AtoB or generator_BtoA per --direction.
 */
import { readFile, readdir, stat } from 'node:fs/promises'
import { basename, extname, resolve } from 'node:path'
import type { LayersModel } from '@tensorflow/tfjs'
import { Option, type Command } from 'commander'
import { readPytorchCheckpoint } from '../../engine/import/pytorch'
import {
  ARCH_RESOLUTION,
  GENERATOR_ARCHS,
  buildGanvasGenerator,
  inferArchitecture,
  stateDictParamCount,
  type GeneratorArch,
  type GeneratorInfo,
} from '../../engine/import/map-generator'
import { saveSnapshot } from '../../engine/storage/model-folder'
import type { BackendPreference, ModelManifest } from '../../shared/schemas'
import { CliError } from '../fail'
import { startEngineHere } from '../in-process-engine'
import { backendFromEnv, parseBackend } from '../options'
import { version } from '../paths'
import { barReporter, jsonReporter } from '../reporter'

interface Flags {
  out: string
  arch?: GeneratorArch
  name?: string
  direction?: 'AtoB' | 'BtoA'
  backend?: BackendPreference
  json?: boolean
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('turn a model from another tool into a Ganvas model')
    .command('pytorch')
    .description('a pix2pix or CycleGAN generator saved by PyTorch (e.g. latest_net_G.pth)')
    .argument('<file>', 'the .pth state_dict of the generator')
    .requiredOption('--out <model_dir>', 'the model folder to create (new or empty)')
    .addOption(new Option('--arch <arch>', 'the architecture (default: read from the weights)').choices(GENERATOR_ARCHS))
    .option('--name <name>', 'the model name shown in the studio (default: the file name)')
    .addOption(new Option('--direction <dir>', 'which way the generator translates (default AtoB)').choices(['AtoB', 'BtoA']))
    .option('--backend <name>', 'auto | tensorflow | wasm | cpu', parseBackend)
    .option('--json', 'print one JSON object per line')
    .action(run)
}

async function run(file: string, flags: Flags): Promise<void> {
  const out = resolve(flags.out)
  await refuseExisting(out, flags.out)
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`)
  })
  const reporter = flags.json ? jsonReporter() : barReporter('layers')
  const engine = await startEngineHere(flags.backend ?? backendFromEnv() ?? 'auto')
  reporter.info(`Backend: ${engine.backend} on ${engine.device}`, { backend: engine.backend, device: engine.device })
  const fail = (error: unknown): never => {
    throw new CliError(`${basename(file)}: ${(error as Error).message}`)
  }
  const stateDict = await readPytorchCheckpoint(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    onNote: (message) => reporter.info(message),
  }).catch(fail)
  let info: GeneratorInfo
  let generator: LayersModel
  try {
    info = inferArchitecture(stateDict)
    generator = buildGanvasGenerator(stateDict, flags.arch ? { arch: flags.arch } : {})
  } catch (error) {
    return fail(error)
  }
  const direction = flags.direction ?? 'AtoB'
  const unet = info.arch.startsWith('unet')
  const network = unet ? 'generator' : `generator_${direction}`
  const manifest: Omit<ModelManifest, 'weights'> = {
    format: 'ganvas-model',
    formatVersion: 1,
    name: flags.name ?? basename(file, extname(file)),
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
  const params = stateDictParamCount(stateDict)
  reporter.done(
    { model: out, family: manifest.family, network, arch: info.arch, ngf: info.ngf, params },
    `Imported ${info.arch} (ngf ${info.ngf}, ${params.toLocaleString('en-US')} parameters) as a ${manifest.family} model in ${out}` +
      (unet ? '' : ` (translates ${direction})`),
  )
}

/** Never writes into a folder that holds anything: the user's files, or another model. */
async function refuseExisting(out: string, given: string): Promise<void> {
  const info = await stat(out).catch(() => null)
  if (!info) return
  if (!info.isDirectory()) throw new CliError(`--out ${given} is a file; give a new folder for the model`)
  if ((await readdir(out)).length > 0) throw new CliError(`--out ${given} already exists and is not empty; give a new folder for the model`)
}
