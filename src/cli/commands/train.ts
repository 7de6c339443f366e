/**
 * `ganvas train pix2pix|cyclegan`: trains in this process (no engine child: a CLI run is already
 * its own process), with a progress bar or JSON lines. Ctrl+C stops after the current step and
 * saves a checkpoint that `--resume` continues from.
 */
import { resolve } from 'node:path'
import { Command, Option } from 'commander'
import type { z } from 'zod'
import { CancelledByHost } from '../../engine/job-hooks'
import { runTraining } from '../../engine/training/run'
import { TrainRequest, type TrainRequestInput } from '../../shared/training'
import { CliError } from '../fail'
import { startEngineHere } from '../in-process-engine'
import { parseBackend, backendFromEnv } from '../options'
import { version } from '../paths'
import { barReporter, jsonReporter } from '../reporter'

const int = (flag: string) => (value: string) => {
  const n = Number(value)
  if (!Number.isInteger(n)) throw new CliError(`${flag} takes a whole number (got "${value}")`)
  return n
}
const num = (flag: string) => (value: string) => {
  const n = Number(value)
  if (!Number.isFinite(n)) throw new CliError(`${flag} takes a number (got "${value}")`)
  return n
}

/** Flags every family shares, in the order --help lists them; defaults differ per family. */
function commonFlags(command: Command, defaults: { size: number; batch: number; lr: string }): Command {
  return command
    .requiredOption('--out <model_dir>', 'the model folder to create (or continue with --resume)')
    .option('--size <px>', 'image size the model works at: 32, 64, 128, 256, 512', int('--size'), defaults.size)
    .option('--steps <n>', 'optimiser steps', int('--steps'))
    .option('--epochs <n>', 'passes over the data (instead of --steps)', int('--epochs'))
    .option('--batch <n>', 'images per step', int('--batch'), defaults.batch)
    .option('--ngf <n>', 'generator width (filters in the first layer)', int('--ngf'), 64)
    .option('--ndf <n>', 'discriminator width', int('--ndf'), 64)
    .option('--lr <rate>', `Adam learning rate (default: ${defaults.lr})`, num('--lr'))
    .option('--seed <n>', 'random seed: the same seed and data give the same run', int('--seed'), 0)
    .option('--no-flip', 'no random horizontal flips')
    .option('--sample-every <n>', 'write a sample grid every n steps', int('--sample-every'), 100)
    .option('--checkpoint-every <n>', 'save a checkpoint every n steps', int('--checkpoint-every'), 500)
    .option('--name <name>', 'the model name shown in the studio')
    .option('--from <model_dir>', 'start from this model\u2019s weights (fine-tuning)')
    .option('--resume', 'continue the stopped or crashed run in --out from its last checkpoint')
    .option('--backend <name>', 'auto | tensorflow | wasm | cpu', parseBackend)
    .option('--json', 'print one JSON object per line instead of a progress bar')
}

export function registerTrain(program: Command): void {
  const train = program.command('train').description('train a model on your own images')

  const imageToImage = { size: 256, batch: 1, lr: '2e-4, constant, then linear decay to 0 over the second half' }
  const ganLoss = () => new Option('--gan-loss <mode>', 'GAN objective').choices(['vanilla', 'lsgan'])
  commonFlags(
    train
      .command('pix2pix')
      .description('paired image-to-image (sketch → photo): a folder of A|B images, or A/ and B/ subfolders')
      .requiredOption('--data <dir>', 'the paired images'),
    imageToImage,
  )
    .addOption(ganLoss())
    .addOption(new Option('--direction <dir>', 'translate A to B or B to A').choices(['AtoB', 'BtoA']).default('AtoB'))
    .option('--lambda-l1 <λ>', 'weight of the L1 term', num('--lambda-l1'), 100)
    .action((flags: Flags) => run('pix2pix', flags))

  commonFlags(
    train
      .command('cyclegan')
      .description('unpaired style transfer between two folders (trainA/ and trainB/, or --data-a and --data-b)')
      .option('--data <dir>', 'a folder with trainA/ and trainB/')
      .option('--data-a <dir>', 'domain A images')
      .option('--data-b <dir>', 'domain B images'),
    imageToImage,
  )
    .addOption(ganLoss())
    .option('--blocks <n>', 'residual blocks (default 9 at 256 px and up, else 6)', int('--blocks'))
    .option('--lambda-cycle <λ>', 'weight of the cycle-consistency terms', num('--lambda-cycle'), 10)
    .option('--lambda-identity <λ>', 'identity term, as a fraction of the cycle weight', num('--lambda-identity'), 0.5)
    .option('--pool-size <n>', 'generated images remembered for the discriminators', int('--pool-size'), 50)
    .action((flags: Flags) => run('cyclegan', flags))

  commonFlags(
    train
      .command('dcgan')
      .description('a face generator (or anything your folder holds): a folder of images, or one subfolder per class')
      .requiredOption('--data <dir>', 'the images (subfolders = classes: the model is then class-conditional)'),
    { size: 64, batch: 64, lr: '2e-4, or 1e-4 with wgan-gp' },
  )
    .addOption(new Option('--loss <mode>', 'objective: non-saturating BCE, WGAN-GP, or hinge').choices(['bce', 'wgan-gp', 'hinge']).default('bce'))
    .option('--z <n>', 'latent size', int('--z'), 128)
    .option('--augment', 'DiffAugment (colour, translation, cutout) for small data sets (a few dozen to a few hundred images)')
    .option('--spectral-norm', 'spectral normalisation in the discriminator')
    .option('--ema <decay>', 'moving average of the generator used for samples (0 turns it off)', num('--ema'), 0.999)
    .option('--n-critic <n>', 'discriminator steps per generator step (default: 5 with wgan-gp, else 1)', int('--n-critic'))
    .option('--freeze-d <n>', 'when fine-tuning with --from: keep the first n discriminator blocks fixed (FreezeD)', int('--freeze-d'), 0)
    .action((flags: Flags) => run('dcgan', flags))
}

interface Flags {
  data?: string
  dataA?: string
  dataB?: string
  out: string
  size: number
  steps?: number
  epochs?: number
  batch: number
  ngf: number
  ndf: number
  ganLoss?: 'vanilla' | 'lsgan'
  lr?: number
  seed: number
  flip: boolean
  sampleEvery: number
  checkpointEvery: number
  name?: string
  from?: string
  resume?: boolean
  backend?: 'auto' | 'tensorflow' | 'wasm' | 'cpu'
  json?: boolean
  direction?: 'AtoB' | 'BtoA'
  lambdaL1?: number
  blocks?: number
  lambdaCycle?: number
  lambdaIdentity?: number
  poolSize?: number
  loss?: 'bce' | 'wgan-gp' | 'hinge'
  z?: number
  augment?: boolean
  spectralNorm?: boolean
  ema?: number
  nCritic?: number
  freezeD?: number
}

type Family = 'pix2pix' | 'cyclegan' | 'dcgan'

function requestFrom(family: Family, flags: Flags): TrainRequest {
  if (!flags.resume && flags.steps === undefined && flags.epochs === undefined) {
    throw new CliError('say how long to train: --steps N or --epochs N')
  }
  if (flags.steps !== undefined && flags.epochs !== undefined) throw new CliError('give --steps or --epochs, not both')
  let data: TrainRequestInput['data']
  if (flags.dataA || flags.dataB) {
    if (!flags.dataA || !flags.dataB) throw new CliError('--data-a and --data-b go together')
    data = { dirA: resolve(flags.dataA), dirB: resolve(flags.dataB) }
  } else if (flags.data) {
    data = { dir: resolve(flags.data) }
  } else {
    throw new CliError('say where the images are: --data DIR (or --data-a DIR --data-b DIR)')
  }
  const shared = {
    size: flags.size,
    batch: flags.batch,
    steps: flags.steps ?? 1, // replaced by the epoch count, or by the checkpoint's own on --resume
    ...(flags.lr !== undefined ? { lr: flags.lr } : {}),
    seed: flags.seed,
    flip: flags.flip,
    sampleEvery: flags.sampleEvery,
    checkpointEvery: flags.checkpointEvery,
    ngf: flags.ngf,
    ndf: flags.ndf,
    ...(flags.ganLoss ? { ganLoss: flags.ganLoss } : {}),
  }
  const options = familyOptions(family, shared, flags)
  const input: TrainRequestInput = {
    options,
    data,
    out: resolve(flags.out),
    ...(flags.name ? { name: flags.name } : {}),
    resume: Boolean(flags.resume),
    ...(flags.from ? { from: resolve(flags.from) } : {}),
    ...(flags.epochs !== undefined ? { epochs: flags.epochs } : {}),
  }
  const parsed = TrainRequest.safeParse(input)
  if (!parsed.success) throw new CliError(flagMessage(parsed.error))
  return parsed.data
}

function familyOptions(family: Family, shared: { steps: number } & Record<string, unknown>, flags: Flags): TrainRequestInput['options'] {
  switch (family) {
    case 'pix2pix':
      return { family, ...shared, direction: flags.direction, lambdaL1: flags.lambdaL1 }
    case 'cyclegan':
      return {
        family,
        ...shared,
        blocks: flags.blocks,
        lambdaA: flags.lambdaCycle,
        lambdaB: flags.lambdaCycle,
        lambdaIdentity: flags.lambdaIdentity,
        poolSize: flags.poolSize,
      }
    case 'dcgan':
      return {
        family,
        ...shared,
        loss: flags.loss,
        z: flags.z,
        augment: flags.augment ? ['color', 'translation', 'cutout'] : [],
        spectralNorm: Boolean(flags.spectralNorm),
        ema: flags.ema,
        freezeD: flags.freezeD,
        ...(flags.nCritic !== undefined ? { nCritic: flags.nCritic } : {}),
      }
  }
}

/** "options.size: must be a power of two" → "--size: must be a power of two". */
function flagMessage(error: z.ZodError): string {
  const issue = error.issues[0]!
  const key = String(issue.path.at(-1) ?? '')
  const flag = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/^lambda-a$|^lambda-b$/, 'lambda-cycle')
  return `--${flag}: ${issue.message}`
}

async function run(family: Family, flags: Flags): Promise<void> {
  const request = requestFrom(family, flags)
  const reporter = flags.json ? jsonReporter() : barReporter('steps')
  const engine = await startEngineHere(flags.backend ?? backendFromEnv() ?? 'auto')
  reporter.info(`Backend: ${engine.backend} on ${engine.device}`, { backend: engine.backend, device: engine.device })
  let stopRequested = false
  const onSignal = () => {
    if (stopRequested) process.exit(130) // a second Ctrl+C: leave now, the last checkpoint stays
    stopRequested = true
    reporter.info('Stopping after this step and saving a checkpoint (Ctrl+C again to quit at once)…')
  }
  process.on('SIGINT', onSignal)
  try {
    const result = await runTraining(
      request,
      {
        progress: (p) => reporter.progress(p),
        throwIfCancelled: () => {
          if (stopRequested) throw new CancelledByHost()
        },
        yield: () => new Promise((r) => setImmediate(r)),
      },
      version,
    )
    reporter.done(
      { model: result.model, steps: result.steps, stopped: result.stopped, losses: result.losses },
      result.stopped
        ? `Stopped at step ${result.steps}; checkpoint saved. Continue with: ganvas train ${family} --out ${result.model} --resume …`
        : `Done: ${result.model} (${result.steps} steps)`,
    )
  } finally {
    process.off('SIGINT', onSignal)
  }
}
