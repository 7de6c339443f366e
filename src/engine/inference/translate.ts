/**
 * Image-to-image inference for Pix2Pix and CycleGAN models: load the generator for one direction,
 * translate an image of any size and aspect, get a PNG with Ganvas metadata back.
 * Folders: translate-folder.ts.
 */
import { basename } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import type { ModelManifest } from '../../shared/schemas'
import { decodeRgb, encodePng, resizeRgb, rgbBytesToTensor, tensorToRgbBytes, type RgbImage } from '../images/convert'
import type { GanvasMetadata } from '../images/png-metadata'
import { loadNetwork, readManifest } from '../storage/model-folder'
import { ganvasVersion } from '../version'
import { cropFit, fitInside, mirrorPad } from './fit'

export type Direction = 'AtoB' | 'BtoA'
const DIRECTIONS: readonly Direction[] = ['AtoB', 'BtoA']

export interface Translator {
  readonly modelDir: string
  readonly manifest: ModelManifest
  readonly direction: Direction
  /** The generator's square input side. */
  readonly size: number
  readonly generator: tf.LayersModel
  readonly mode: InferenceMode
  /** Ganvas version written into outputs. */
  readonly version: string
  dispose(): void
}

export interface TranslatorOptions {
  /** CycleGAN: either way (default AtoB). Pix2Pix: only the direction it was trained in (the default). */
  direction?: Direction
  /** Defaults to the version in package.json; Electron's main process may pass app.getVersion(). */
  version?: string
  /** 'eval' (default): BatchNorm running statistics, no dropout. 'reference': what the reference
   * code's test script does without --eval: each image's own statistics, dropout on (seeded). */
  mode?: InferenceMode
}

export type InferenceMode = 'eval' | 'reference'

export interface TranslatedImage {
  png: Buffer
  width: number
  height: number
  metadata: GanvasMetadata
}

const isDirection = (value: unknown): value is Direction => DIRECTIONS.includes(value as Direction)

/** The generator network for a direction; throws when the model cannot translate that way. */
export function generatorFor(manifest: ModelManifest, requested: Direction | undefined): { network: string; direction: Direction } {
  if (requested !== undefined && !isDirection(requested)) throw new Error(`direction must be AtoB or BtoA, got "${String(requested)}"`)
  switch (manifest.family) {
    case 'pix2pix': {
      const trained = manifest.training.direction ?? 'AtoB'
      if (!isDirection(trained)) throw new Error(`${manifest.name}: manifest.json has an unknown training direction "${String(trained)}"`)
      if (requested && requested !== trained) {
        throw new Error(
          `"${manifest.name}" is a Pix2Pix model trained ${trained} and only translates ${trained}; ` +
            `leave out the direction, or use a CycleGAN model to translate both ways.`,
        )
      }
      return { network: 'generator', direction: trained }
    }
    case 'cyclegan': {
      // An imported CycleGAN generator is one network, for the direction it was imported as.
      const only = manifest.training.importedFrom !== undefined ? manifest.training.direction : undefined
      if (isDirection(only)) {
        if (requested && requested !== only) {
          throw new Error(`"${manifest.name}" is an imported CycleGAN generator that only translates ${only}.`)
        }
        return { network: `generator_${only}`, direction: only }
      }
      const direction = requested ?? 'AtoB'
      return { network: `generator_${direction}`, direction }
    }
    default:
      throw new Error(`"${manifest.name}" is a ${manifest.family} model, which generates images rather than translating them.`)
  }
}

export async function loadTranslator(modelDir: string, options: TranslatorOptions = {}): Promise<Translator> {
  const manifest = await readManifest(modelDir)
  const { network, direction } = generatorFor(manifest, options.direction)
  const generator = await loadNetwork(modelDir, manifest, network)
  const shape = generator.inputs[0]?.shape ?? []
  const size = shape[1]
  if (shape.length !== 4 || !size || shape[2] !== size || shape[3] !== 3) {
    generator.dispose()
    throw new Error(`${modelDir}: network "${network}" takes [${shape.join(', ')}], not a square RGB image`)
  }
  let disposed = false
  return {
    modelDir,
    manifest,
    direction,
    size,
    mode: options.mode ?? 'eval',
    version: options.version ?? ganvasVersion,
    get generator() {
      if (disposed) throw new Error('this translator was disposed; load the model again')
      return generator
    },
    dispose() {
      if (!disposed) generator.dispose()
      disposed = true
    },
  }
}

/** Runs the generator on one size×size RGB image; no tensors outlive the call. */
export function runGenerator(generator: tf.LayersModel, square: Uint8Array, size: number, mode: InferenceMode = 'eval'): Uint8Array {
  const output = tf.tidy(() => {
    const input = rgbBytesToTensor(square, size, size).expandDims(0)
    if (mode === 'eval') return generator.predict(input) as tf.Tensor4D
    // Training mode uses the batch's statistics; it also nudges the loaded copy's running averages,
    // which are never saved.
    return generator.apply(input, { training: true, dropoutSeed: 0 }) as tf.Tensor4D
  })
  try {
    return tensorToRgbBytes(output)
  } finally {
    output.dispose()
  }
}

/** The Ganvas metadata of an output translated from `source` (a file name). */
export function translationMetadata(translator: Translator, source: string): GanvasMetadata {
  const { manifest } = translator
  return {
    model: manifest.name,
    family: manifest.family,
    direction: translator.direction,
    mode: translator.mode,
    steps: manifest.stepsDone,
    version: translator.version,
    source,
  }
}

/**
 * Translates an image file (or encoded image bytes, named by `name`) at its own size and aspect.
 * Throws an Error naming the file when it cannot be read as an image.
 */
export async function translateImage(
  translator: Translator,
  input: string | Uint8Array,
  name = typeof input === 'string' ? input : 'image',
): Promise<TranslatedImage> {
  return translateRgb(translator, await decodeRgb(input, name), basename(name))
}

/** Fit inside the model square, mirror-pad, generate, crop, resize back with Lanczos-3, encode. */
export async function translateRgb(translator: Translator, image: RgbImage, source: string): Promise<TranslatedImage> {
  const fit = fitInside(image.width, image.height, translator.size)
  const fitted = await resizeRgb(image, fit.width, fit.height)
  const square = runGenerator(translator.generator, mirrorPad(fitted, fit), fit.size, translator.mode)
  const restored = await resizeRgb(cropFit(square, fit), image.width, image.height)
  const metadata = translationMetadata(translator, source)
  const png = await encodePng(restored.data, image.width, image.height, metadata)
  return { png, width: image.width, height: image.height, metadata }
}
