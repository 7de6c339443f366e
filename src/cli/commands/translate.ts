/**
 * `ganvas translate`: one image, or a whole folder, through a Pix2Pix or CycleGAN model.
 * Outputs are PNGs named after their inputs, carrying Ganvas metadata; inputs are never touched.
 */
import { stat } from 'node:fs/promises'
import { basename, extname, join, resolve } from 'node:path'
import { Option, type Command } from 'commander'
import { translateFolder } from '../../engine/inference/translate-folder'
import { loadTranslator, translateImage, type Direction, type InferenceMode } from '../../engine/inference/translate'
import { writeFileAtomic } from '../../engine/storage/atomic-write'
import type { BackendPreference } from '../../shared/schemas'
import { CliError } from '../fail'
import { startEngineHere } from '../in-process-engine'
import { backendFromEnv, parseBackend } from '../options'
import { version } from '../paths'
import { barReporter, jsonReporter } from '../reporter'

interface Flags {
  model: string
  input: string
  output: string
  direction?: Direction
  mode: InferenceMode
  backend?: BackendPreference
  json?: boolean
}

export function registerTranslate(program: Command): void {
  program
    .command('translate')
    .description('translate an image or a folder of images with a Pix2Pix or CycleGAN model')
    .requiredOption('--model <model_dir>', 'the model folder')
    .requiredOption('--input <file_or_dir>', 'an image, or a folder of images')
    .requiredOption('--output <file_or_dir>', 'the PNG to write, or the folder to write PNGs into')
    .addOption(new Option('--direction <dir>', 'CycleGAN: which way to translate').choices(['AtoB', 'BtoA']))
    .addOption(
      new Option('--mode <mode>', "eval: stored BatchNorm statistics, no dropout; reference: each image's own statistics and dropout, as the reference test script")
        .choices(['eval', 'reference'])
        .default('eval'),
    )
    .option('--backend <name>', 'auto | tensorflow | wasm | cpu', parseBackend)
    .option('--json', 'print one JSON object per line')
    .action(run)
}

async function run(flags: Flags): Promise<void> {
  const input = resolve(flags.input)
  const inputInfo = await stat(input).catch(() => null)
  if (!inputInfo) throw new CliError(`--input ${flags.input}: no such file or folder`)
  const reporter = flags.json ? jsonReporter() : barReporter('images')
  const engine = await startEngineHere(flags.backend ?? backendFromEnv() ?? 'auto')
  reporter.info(`Backend: ${engine.backend} on ${engine.device}`, { backend: engine.backend, device: engine.device })
  const translator = await loadTranslator(resolve(flags.model), { version, mode: flags.mode, ...(flags.direction ? { direction: flags.direction } : {}) }).catch(
    (error: Error) => {
      throw new CliError(error.message)
    },
  )
  try {
    if (inputInfo.isDirectory()) {
      const output = resolve(flags.output)
      const result = await translateFolder(translator, input, output, {
        onProgress: (done, total) => reporter.progress({ step: done, total, metrics: {} }),
      })
      for (const skipped of result.skipped) reporter.info(`skipped ${skipped.path}: ${skipped.reason}`, { skipped })
      reporter.done(
        { output, written: result.written.length, skipped: result.skipped.length },
        `Wrote ${result.written.length} images to ${output}${result.skipped.length ? ` (${result.skipped.length} skipped)` : ''}`,
      )
    } else {
      const outputInfo = await stat(flags.output).catch(() => null)
      const output = outputInfo?.isDirectory()
        ? join(resolve(flags.output), `${basename(input, extname(input))}.png`)
        : resolve(flags.output)
      if (output === input) throw new CliError('--output is the input file: Ganvas never overwrites your images')
      const result = await translateImage(translator, input)
      await writeFileAtomic(output, result.png)
      reporter.done({ output, width: result.width, height: result.height }, `Wrote ${output} (${result.width}×${result.height})`)
    }
  } finally {
    translator.dispose()
  }
}
