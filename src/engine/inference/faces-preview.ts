/**
 * Face-generator output for the studio, in memory rather than in files: a grid's samples and an
 * interpolation's frames as PNGs carrying the same metadata the files get, and the GIF.
 */
import { encodeGif } from '../images/gif'
import { encodePng } from '../images/convert'
import { interpolate } from '../latent/latent'
import type { FaceGenerator } from './generate'
import { interpolationMetadata, sampleMetadata, type InterpolationSettings } from './generate-metadata'

/** The class index for a name, or undefined when none was given. */
const classIndexOf = (generator: FaceGenerator, name: string | undefined) => (name === undefined ? undefined : generator.classIndex(name))

export async function previewSamples(generator: FaceGenerator, seeds: readonly number[], psi: number, className?: string) {
  const classIndex = classIndexOf(generator, className)
  const requests = seeds.map((seed) => generator.resolveRequest({ seed, psi, ...(classIndex !== undefined ? { classIndex } : {}) }))
  const images = generator.sample(requests.map((r) => ({ seed: r.seed, psi: r.psi, ...(r.classIndex !== null ? { classIndex: r.classIndex } : {}) })))
  return Promise.all(
    requests.map(async (request, i) => ({
      seed: request.seed,
      class: request.classIndex === null ? null : (generator.classes?.[request.classIndex] ?? null),
      png: await encodePng(images[i]!, generator.size, generator.size, sampleMetadata(generator, request)),
    })),
  )
}

/** Seed A to seed B by spherical interpolation; a conditional model keeps one class (given, or seed A's). */
export async function previewInterpolation(
  generator: FaceGenerator,
  { seedA, seedB, frames, psi, className }: { seedA: number; seedB: number; frames: number; psi: number; className?: string },
) {
  const classIndex = classIndexOf(generator, className)
  const a = generator.resolveRequest({ seed: seedA, psi, ...(classIndex !== undefined ? { classIndex } : {}) })
  generator.resolveRequest({ seed: seedB, psi }) // checks seed B
  const settings: InterpolationSettings = { seedA, seedB, psi, classIndex: a.classIndex, classFrom: a.classFrom, frames }
  const latents = interpolate(generator.latentFor(seedA, psi), generator.latentFor(seedB, psi), frames)
  const rgb = generator.render(latents, a.classIndex ?? undefined)
  const { size } = generator
  const pngs = await Promise.all(rgb.map((image, k) => encodePng(image, size, size, interpolationMetadata(generator, settings, k))))
  const gif = encodeGif(rgb, size, size, { metadata: interpolationMetadata(generator, settings) })
  return { frames: pngs, gif }
}
