/** `ganvas import pytorch FILE.pth --out MODEL_DIR`: see src/engine/import/import-pytorch.ts. */
import { resolve } from 'node:path'
import { Option, type Command } from 'commander'
import { OutputExistsError, importPytorchModel } from '../../engine/import/import-pytorch'
import { GENERATOR_ARCHS, type GeneratorArch } from '../../engine/import/map-generator'
import type { BackendPreference } from '../../shared/schemas'
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
  const reporter = flags.json ? jsonReporter() : barReporter('layers')
  const engine = await startEngineHere(flags.backend ?? backendFromEnv() ?? 'auto')
  reporter.info(`Backend: ${engine.backend} on ${engine.device}`, { backend: engine.backend, device: engine.device })
  const request = {
    file: resolve(file),
    out: resolve(flags.out),
    ...(flags.arch ? { arch: flags.arch } : {}),
    ...(flags.name ? { name: flags.name } : {}),
    ...(flags.direction ? { direction: flags.direction } : {}),
  }
  const result = await importPytorchModel(request, { version, onNote: (message) => reporter.info(message) }).catch((error: Error) => {
    throw new CliError(error instanceof OutputExistsError ? `--out ${error.message}` : error.message)
  })
  reporter.done(
    { model: result.model, family: result.family, network: result.network, arch: result.arch, ngf: result.ngf, params: result.params },
    `Imported ${result.arch} (ngf ${result.ngf}, ${result.params.toLocaleString('en-US')} parameters) as a ${result.family} model in ${result.model}` +
      (result.family === 'pix2pix' ? '' : ` (translates ${result.direction})`),
  )
}
