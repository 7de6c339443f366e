/**
 * Face generation with a DCGAN model: load the generator, turn seeds (with truncation ψ and, for a
 * class-conditional model, a class) into RGB images, in batches. Writing PNGs, data sets and GIFs:
 * generate-files.ts; the metadata they carry: generate-metadata.ts.
 *
 * Truncation pulls z toward the mean latent. These generators have no mapping network, so the mean
 * of their latent distribution N(0, I) is exactly 0 and ψ simply scales z (see latent.ts).
 */
import { resolve } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import type { ModelManifest } from '../../shared/schemas'
import { tensorToRgbBytes } from '../images/convert'
import { checkPsi, truncatedLatent } from '../latent/latent'
import { loadNetwork, readManifest } from '../storage/model-folder'
import { ganvasVersion } from '../version'

export interface SampleRequest {
  seed: number
  /** Truncation: 1 (default) none, 0 the average face. */
  psi?: number
  /** Conditional models: the class; left out, the seed picks one (see resolveRequest). */
  classIndex?: number
}

/** A request with every choice made, as it goes into the metadata. */
export interface ResolvedRequest {
  seed: number
  psi: number
  /** null for an unconditional model. */
  classIndex: number | null
  /** 'chosen' when the caller gave the class, 'seed' when seed mod classes picked it; null without classes. */
  classFrom: 'chosen' | 'seed' | null
}

export interface FaceGenerator {
  readonly modelDir: string
  readonly manifest: ModelManifest
  /** Latent size. */
  readonly zDim: number
  /** Class names of a conditional model, null for an unconditional one. */
  readonly classes: readonly string[] | null
  /** Output side in pixels (square RGB). */
  readonly size: number
  /** Ganvas version written into outputs. */
  readonly version: string
  /** The latent fed to the generator for `seed` at truncation ψ. */
  latentFor(seed: number, psi?: number): Float32Array
  /** The index of a class by name; throws listing the known ones (or saying there are none). */
  classIndex(name: string): number
  /** Fills in ψ and the class of a request, checking both. */
  resolveRequest(request: SampleRequest): ResolvedRequest
  /** RGB images (size×size×3 bytes each) for latents, all of one class or one class each. */
  render(latents: readonly Float32Array[], classIndex?: number | readonly number[]): Uint8Array[]
  /** RGB images for seeds, in order, batched. */
  sample(requests: readonly SampleRequest[]): Uint8Array[]
  dispose(): void
}

export interface FaceGeneratorOptions {
  /** Defaults to the version in package.json; Electron's main process may pass app.getVersion(). */
  version?: string
}

/** Images per generator call: about 64k output pixels, so big models stay within memory. */
export const batchSizeFor = (size: number) => Math.min(64, Math.max(1, Math.floor(65536 / (size * size))))

/** The model's class names from its training options: null when unconditional. */
function classesOf(manifest: ModelManifest): string[] | null {
  const classes = manifest.training.classes
  if (classes === undefined || classes === null) return null
  if (!Array.isArray(classes) || classes.length === 0 || !classes.every((c) => typeof c === 'string' && c !== '')) {
    throw new Error(`"${manifest.name}": manifest.json training.classes must be a list of class names or null`)
  }
  return classes as string[]
}

/** Checks the family; the message says which command suits other models. */
export function checkFaceModel(manifest: ModelManifest, modelDir: string): void {
  if (manifest.family === 'dcgan') return
  throw new Error(
    `${modelDir} ("${manifest.name}") is a ${manifest.family} model, which translates images rather than generating them; use \`ganvas translate\``,
  )
}

export async function loadFaceGenerator(modelDir: string, options: FaceGeneratorOptions = {}): Promise<FaceGenerator> {
  const dir = resolve(modelDir)
  const manifest = await readManifest(dir)
  checkFaceModel(manifest, modelDir)
  const classes = classesOf(manifest)
  const generator = await loadNetwork(dir, manifest, 'generator')
  let shape: { zDim: number; size: number }
  try {
    shape = checkNetwork(generator, manifest, classes, modelDir)
  } catch (error) {
    generator.dispose()
    throw error
  }
  return makeFaceGenerator(dir, manifest, classes, generator, shape, options.version ?? ganvasVersion)
}

/** The latent size and image side, checked against the manifest. */
function checkNetwork(generator: tf.LayersModel, manifest: ModelManifest, classes: string[] | null, modelDir: string) {
  const zShape = generator.inputs[0]?.shape ?? []
  const out = (Array.isArray(generator.outputShape[0]) ? generator.outputShape[0] : generator.outputShape) as (number | null)[]
  const zDim = zShape[1]
  const size = out[1]
  if (zShape.length !== 2 || !zDim || out.length !== 4 || !size || out[2] !== size || out[3] !== 3) {
    throw new Error(`${modelDir}: the generator takes [${zShape.join(', ')}] and gives [${out.join(', ')}], not latents to square RGB images`)
  }
  const conditional = generator.inputs.length === 2
  if (conditional !== (classes !== null)) {
    const said = classes ? `${classes.length} classes` : 'no classes'
    throw new Error(`${modelDir}: manifest.json says the model has ${said}, but its generator ${conditional ? 'takes' : 'takes no'} class labels`)
  }
  if (typeof manifest.training.z === 'number' && manifest.training.z !== zDim) {
    throw new Error(`${modelDir}: manifest.json says the latent has ${manifest.training.z} values, the generator takes ${zDim}`)
  }
  return { zDim, size }
}

function makeFaceGenerator(
  modelDir: string,
  manifest: ModelManifest,
  classes: string[] | null,
  generator: tf.LayersModel,
  { zDim, size }: { zDim: number; size: number },
  version: string,
): FaceGenerator {
  let disposed = false
  const network = () => {
    if (disposed) throw new Error('this face generator was disposed; load the model again')
    return generator
  }
  const checkClass = (index: number) => {
    if (!classes) throw new Error(`"${manifest.name}" was trained without classes; leave the class out`)
    if (!Number.isInteger(index) || index < 0 || index >= classes.length) {
      throw new Error(`"${manifest.name}" has classes 0 to ${classes.length - 1} (${classes.join(', ')}), not ${index}`)
    }
  }

  /** One generator call on n latents; no tensors outlive it. */
  const renderBatch = (latents: readonly Float32Array[], labels: readonly number[] | null): Uint8Array[] => {
    const n = latents.length
    const z = new Float32Array(n * zDim)
    latents.forEach((latent, i) => {
      if (latent.length !== zDim) throw new Error(`a latent for "${manifest.name}" has ${zDim} values, not ${latent.length}`)
      z.set(latent, i * zDim)
    })
    const images = tf.tidy(() => {
      const inputs: tf.Tensor[] = [tf.tensor2d(z, [n, zDim], 'float32')]
      if (labels) inputs.push(tf.tensor2d(Int32Array.from(labels), [n, 1], 'int32'))
      const out = network().apply(inputs, { training: false }) as tf.Tensor4D
      // The batch as one tall image: one conversion, then a slice per image.
      return out.reshape([n * size, size, 3]) as tf.Tensor3D
    })
    let bytes: Uint8Array
    try {
      bytes = tensorToRgbBytes(images)
    } finally {
      images.dispose()
    }
    const each = size * size * 3
    return latents.map((_, i) => bytes.slice(i * each, (i + 1) * each))
  }

  const self: FaceGenerator = {
    modelDir,
    manifest,
    zDim,
    classes,
    size,
    version,
    latentFor: (seed, psi = 1) => truncatedLatent(seed, zDim, psi),
    classIndex(name) {
      if (!classes) throw new Error(`"${manifest.name}" was trained without classes, so "${name}" cannot be chosen; leave the class out`)
      const index = classes.indexOf(name)
      if (index < 0) throw new Error(`"${manifest.name}" has no class "${name}"; its classes are: ${classes.join(', ')}`)
      return index
    },
    resolveRequest({ seed, psi = 1, classIndex }) {
      checkPsi(psi)
      if (classIndex !== undefined) {
        checkClass(classIndex)
        return { seed, psi, classIndex, classFrom: 'chosen' }
      }
      // No class asked for: spread the seeds over the classes, by seed so a seed always gives the same image.
      if (classes) return { seed, psi, classIndex: seed % classes.length, classFrom: 'seed' }
      return { seed, psi, classIndex: null, classFrom: null }
    },
    render(latents, classIndex) {
      network()
      let labels: number[] | null = null
      if (classIndex !== undefined) {
        labels = typeof classIndex === 'number' ? latents.map(() => classIndex) : [...classIndex]
        if (labels.length !== latents.length) throw new Error(`render: ${latents.length} latents but ${labels.length} classes`)
        labels.forEach(checkClass)
      } else if (classes) {
        throw new Error(`"${manifest.name}" is class-conditional: say which class (${classes.join(', ')})`)
      }
      const batch = batchSizeFor(size)
      const out: Uint8Array[] = []
      for (let at = 0; at < latents.length; at += batch) {
        out.push(...renderBatch(latents.slice(at, at + batch), labels && labels.slice(at, at + batch)))
      }
      return out
    },
    sample(requests) {
      const resolved = requests.map((r) => self.resolveRequest(r))
      const latents = resolved.map((r) => self.latentFor(r.seed, r.psi))
      return self.render(latents, classes ? resolved.map((r) => r.classIndex!) : undefined)
    },
    dispose() {
      if (!disposed) generator.dispose()
      disposed = true
    },
  }
  return self
}
