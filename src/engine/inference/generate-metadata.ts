/**
 * What a generated image remembers (the `ganvas` metadata of its PNG, or its GIF comment), and
 * reading it back: drop a Ganvas PNG into the studio and get its seed, ψ, class and model again.
 */
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { readGifGanvasMetadata } from '../images/gif'
import { readGanvasMetadata, type GanvasMetadata } from '../images/png-metadata'
import { MAX_SEED } from '../latent/latent'
import type { FaceGenerator, ResolvedRequest } from './generate'

const className = (generator: FaceGenerator, index: number | null) => (index === null ? null : (generator.classes?.[index] ?? null))

/** What both kinds share: where the image came from and how it was made. */
function common(generator: FaceGenerator, psi: number, classIndex: number | null, classFrom: ResolvedRequest['classFrom']) {
  return {
    model: generator.manifest.name,
    modelPath: generator.modelDir,
    family: generator.manifest.family,
    psi,
    class: className(generator, classIndex),
    // Only conditional models pick a class; 'seed' says seed mod classes chose it, not the user.
    ...(classFrom ? { classFrom } : {}),
    steps: generator.manifest.stepsDone,
    ganvasVersion: generator.version,
  }
}

/** Metadata of one sample. */
export function sampleMetadata(generator: FaceGenerator, request: ResolvedRequest): GanvasMetadata {
  const { seed, psi, classIndex, classFrom } = request
  return { kind: 'sample', seed, ...common(generator, psi, classIndex, classFrom) }
}

export interface InterpolationSettings {
  seedA: number
  seedB: number
  psi: number
  classIndex: number | null
  classFrom: ResolvedRequest['classFrom']
  frames: number
}

/** Metadata of a whole interpolation (the GIF), or of its frame `frame` (0-based) at t = frame/(frames−1). */
export function interpolationMetadata(generator: FaceGenerator, settings: InterpolationSettings, frame?: number): GanvasMetadata {
  const { seedA, seedB, psi, classIndex, classFrom, frames } = settings
  const position = frame === undefined ? {} : { frame, t: frame / (frames - 1) }
  return { kind: 'interpolation', seedA, seedB, frames, ...position, ...common(generator, psi, classIndex, classFrom) }
}

const seed = z.number().int().min(0).max(MAX_SEED)
const shared = {
  psi: z.number().min(0).max(1),
  class: z.string().nullable().default(null),
  model: z.string(),
  modelPath: z.string().nullable().default(null),
  steps: z.number().int().nonnegative().nullable().default(null),
}
const Settings = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sample'), seed, ...shared }),
  z.object({
    kind: z.literal('interpolation'),
    seedA: seed,
    seedB: seed,
    frames: z.number().int().min(2),
    frame: z.number().int().nonnegative().nullable().default(null),
    t: z.number().min(0).max(1).nullable().default(null),
    ...shared,
  }),
])

/** The settings a generated image was made with; `frame`/`t` are null for the GIF as a whole. */
export type GeneratorSettings = z.infer<typeof Settings>

/** Settings from Ganvas metadata; null when it is not a face generator's (e.g. a translation's). */
export function settingsFromMetadata(metadata: GanvasMetadata | null): GeneratorSettings | null {
  const parsed = Settings.safeParse(metadata)
  return parsed.success ? parsed.data : null
}

/** Settings from a PNG (or GIF) we generated; null for any other image or bytes. Never throws. */
export function settingsFromPng(bytes: Uint8Array): GeneratorSettings | null {
  return settingsFromMetadata(readGanvasMetadata(bytes) ?? readGifGanvasMetadata(bytes))
}

/** settingsFromPng for a file; null also when the file cannot be read. */
export async function settingsFromPngFile(path: string): Promise<GeneratorSettings | null> {
  const bytes = await readFile(path).catch(() => null)
  return bytes ? settingsFromPng(bytes) : null
}
