/**
 * `ganvas generate`: faces (or whatever a DCGAN model learned) from seeds, as PNGs that remember
 * their seed, ψ, class and model; or an interpolation between two seeds as a GIF plus PNG frames.
 * The output folder is created when missing; files already in it are never overwritten.
 */
import { resolve } from 'node:path'
import { InvalidArgumentError, type Command } from 'commander'
import { loadFaceGenerator, type FaceGenerator } from '../../engine/inference/generate'
import { writeInterpolation, writeSamples, type GenerateHooks, type WrittenFiles } from '../../engine/inference/generate-files'
import { parseSeeds, seedRange } from '../../engine/inference/seeds'
import { CancelledByHost } from '../../engine/job-hooks'
import { MAX_SEED, isSeed } from '../../engine/latent/latent'
import type { BackendPreference } from '../../shared/schemas'
import { CliError } from '../fail'
import { startEngineHere } from '../in-process-engine'
import { backendFromEnv, parseBackend } from '../options'
import { version } from '../paths'
import { barReporter, jsonReporter, type Reporter } from '../reporter'

interface Flags {
  model: string
  output: string
  seeds?: number[]
  count?: number
  start?: number
  truncation: number
  class?: string
  interpolate?: [number, number]
  frames?: number
  backend?: BackendPreference
  json?: boolean
}

const DEFAULT_COUNT = 16
const DEFAULT_FRAMES = 30

const seedList = (value: string) => {
  try {
    return parseSeeds(value)
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message)
  }
}
const wholeNumber = (min: number, max: number) => (value: string) => {
  const n = Number(value)
  if (!/^\s*\d+\s*$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`use a whole number from ${min} to ${max}`)
  return n
}
const psi = (value: string) => {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new InvalidArgumentError('use a number from 0 (the average face) to 1 (no truncation), e.g. 0.7')
  }
  return n
}
const seedPair = (value: string): [number, number] => {
  const parts = value.split(',').map((p) => p.trim())
  const seeds = parts.map(Number)
  if (parts.length !== 2 || !parts.every((p) => /^\d+$/.test(p)) || !seeds.every(isSeed)) {
    throw new InvalidArgumentError(`give two seeds from 0 to ${MAX_SEED} separated by a comma, e.g. 1,42`)
  }
  if (seeds[0] === seeds[1]) throw new InvalidArgumentError('give two different seeds to move between')
  return [seeds[0]!, seeds[1]!]
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('generate images from seeds with a face-generator (DCGAN) model, or interpolate between two seeds')
    .requiredOption('--model <model_dir>', 'the model folder')
    .requiredOption('--output <dir>', 'the folder to write into (created if missing; existing files are never overwritten)')
    .option('--seeds <list>', 'seeds to generate: ranges and lists, e.g. 1-16, 3,7,42 or 1-4,9', seedList)
    .option('--count <n>', `generate n images with seeds start … start+n−1 (default without --seeds: ${DEFAULT_COUNT})`, wholeNumber(1, 100_000))
    .option('--start <seed>', 'the first seed for --count (default 0)', wholeNumber(0, MAX_SEED))
    .option('--truncation <psi>', 'pull latents toward the average face: 1 none, 0.7 typical, 0 the average face', psi, 1)
    .option('--class <name>', 'class-conditional models: the class to generate (default: each seed picks class seed mod classes)')
    .option('--interpolate <seedA,seedB>', 'instead of samples: move from seed A to seed B (spherical interpolation), as a GIF and PNG frames', seedPair)
    .option('--frames <n>', `frames of the interpolation, both ends included (default ${DEFAULT_FRAMES})`, wholeNumber(2, 1000))
    .option('--backend <name>', 'auto | tensorflow | wasm | cpu', parseBackend)
    .option('--json', 'print one JSON object per line instead of a progress bar')
    .addHelpText(
      'after',
      `
Files: seed-0042.png (class models: seed-0042-<class>.png); interpolations interp-0001-0042.gif
and interp-0001-0042-f01.png …. Each PNG stores its seed, truncation, class and model: open it in
the studio to get the settings back.

Examples:
  ganvas generate --model faces --output out --seeds 1-16 --truncation 0.7
  ganvas generate --model faces --output dataset --count 1000 --start 5000
  ganvas generate --model faces --output out --interpolate 1,42 --frames 60`,
    )
    .action(run)
}

/** Which seeds to generate, or the interpolation; refuses flags that do not go together. */
function plan(flags: Flags): { seeds: number[] } | { interpolate: [number, number]; frames: number } {
  if (flags.seeds && flags.count !== undefined) throw new CliError('give --seeds or --count, not both')
  if (flags.start !== undefined && flags.count === undefined) throw new CliError('--start goes with --count (with --seeds, list the seeds you want)')
  if (flags.interpolate) {
    if (flags.seeds || flags.count !== undefined) throw new CliError('--interpolate makes frames between two seeds; leave out --seeds and --count')
    return { interpolate: flags.interpolate, frames: flags.frames ?? DEFAULT_FRAMES }
  }
  if (flags.frames !== undefined) throw new CliError('--frames goes with --interpolate SEED_A,SEED_B')
  if (flags.seeds) return { seeds: flags.seeds }
  try {
    return { seeds: seedRange(flags.start ?? 0, flags.count ?? DEFAULT_COUNT) }
  } catch (error) {
    throw new CliError(`--start/--count: ${(error as Error).message}`)
  }
}

/** The class index for --class, with messages in terms of the flag. */
function chooseClass(generator: FaceGenerator, name: string | undefined, reporter: Reporter): number | undefined {
  const { classes, manifest } = generator
  if (name === undefined) {
    if (classes) {
      reporter.info(`No --class given: each seed gets class seed mod ${classes.length} (${classes.join(', ')}); each PNG records its class.`, {
        classes,
      })
    }
    return undefined
  }
  if (!classes) throw new CliError(`--class ${name}: "${manifest.name}" was trained without classes; leave out --class`)
  if (!classes.includes(name)) throw new CliError(`--class ${name}: "${manifest.name}" has no such class; use one of: ${classes.join(', ')}`)
  return generator.classIndex(name)
}

async function run(flags: Flags): Promise<void> {
  const what = plan(flags)
  const output = resolve(flags.output)
  const reporter = flags.json ? jsonReporter() : barReporter('interpolate' in what ? 'frames' : 'images')
  const engine = await startEngineHere(flags.backend ?? backendFromEnv() ?? 'auto')
  reporter.info(`Backend: ${engine.backend} on ${engine.device}`, { backend: engine.backend, device: engine.device })
  const generator = await loadFaceGenerator(resolve(flags.model), { version }).catch((error: Error) => {
    throw new CliError(error.message)
  })

  let done = 0
  let stopRequested = false
  const onSignal = () => {
    if (stopRequested) process.exit(130) // a second Ctrl+C: leave now; finished files stay
    stopRequested = true
    reporter.info('Stopping after this batch (Ctrl+C again to quit at once)…')
  }
  const hooks: GenerateHooks = {
    progress: (p) => {
      done = p.step
      reporter.progress(p)
    },
    throwIfCancelled: () => {
      if (stopRequested) throw new CancelledByHost()
    },
    yield: () => new Promise((r) => setImmediate(r)),
  }
  process.on('SIGINT', onSignal)
  try {
    const classIndex = chooseClass(generator, flags.class, reporter)
    const options = { psi: flags.truncation, hooks, ...(classIndex !== undefined ? { classIndex } : {}) }
    const relative = (written: WrittenFiles) => written.files.map((f) => f.slice(written.outputDir.length + 1))
    if ('interpolate' in what) {
      const [seedA, seedB] = what.interpolate
      const written = await writeInterpolation(generator, output, { ...options, seedA, seedB, frames: what.frames }).catch(asCliError)
      reporter.done(
        { output, gif: written.gif, frames: what.frames, files: relative(written) },
        `Wrote ${written.gif} and ${what.frames} frames to ${output}`,
      )
    } else {
      const written = await writeSamples(generator, output, what.seeds, options).catch(asCliError)
      reporter.done({ output, written: written.files.length, files: relative(written) }, `Wrote ${written.files.length} images to ${output}`)
    }
  } catch (error) {
    if (!(error instanceof CancelledByHost)) throw error
    const unit = 'interpolate' in what ? 'frames' : 'images'
    reporter.done({ output, stopped: true, written: done }, `Stopped after ${done} ${unit}; the files written are in ${output}`)
  } finally {
    process.off('SIGINT', onSignal)
    generator.dispose()
  }
}

/** Engine errors about the request (a taken file name, a bad class) become one-line CLI errors. */
function asCliError(error: unknown): never {
  if (error instanceof CancelledByHost || !(error instanceof Error)) throw error
  throw new CliError(error.message)
}
