/**
 * Generated images on disk: a PNG per seed (`seed-0042.png`), a data set (seeds start … start+N−1),
 * and a latent interpolation as an animated GIF plus its frames as PNGs. Every file carries its
 * settings (generate-metadata.ts).
 *
 * Existing files are never overwritten: a run first checks every name it would write and refuses
 * the whole run on any clash; each file then appears atomically and only if still absent.
 */
import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { copyFile, link, mkdir, open, readdir, rm, stat } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import type { JobHooks } from '../job-hooks'
import { encodePng } from '../images/convert'
import { encodeGif } from '../images/gif'
import { interpolate } from '../latent/latent'
import { batchSizeFor, type FaceGenerator, type ResolvedRequest } from './generate'
import { interpolationMetadata, sampleMetadata, type InterpolationSettings } from './generate-metadata'
import { seedRange } from './seeds'

/** Progress and cancellation, as the engine host passes them; every part optional. */
export type GenerateHooks = Partial<JobHooks>

export interface SampleOptions {
  psi?: number
  /** Conditional models: one class for all; left out, each seed picks seed mod classes. */
  classIndex?: number
  hooks?: GenerateHooks
}

/** Seeds padded to 4 digits so folders sort; class models add the class (`seed-0042-cats.png`). */
const seedPart = (seed: number) => String(seed).padStart(4, '0')
const classPart = (generator: FaceGenerator, classIndex: number | null) =>
  classIndex === null ? '' : `-${safeName(generator.classes?.[classIndex] ?? String(classIndex))}`
/** Letters, digits, _ and - only, so a class name cannot leave the folder or upset a file system. */
const safeName = (name: string) => name.replace(/[^\p{L}\p{N}_-]+/gu, '_').slice(0, 40) || '_'

export function sampleFileName(generator: FaceGenerator, request: ResolvedRequest): string {
  return `seed-${seedPart(request.seed)}${classPart(generator, request.classIndex)}.png`
}

/** `interp-0001-0042[-class]`: the GIF adds .gif, frame k adds -fNN.png. */
export function interpolationStem(generator: FaceGenerator, settings: Pick<InterpolationSettings, 'seedA' | 'seedB' | 'classIndex'>): string {
  return `interp-${seedPart(settings.seedA)}-${seedPart(settings.seedB)}${classPart(generator, settings.classIndex)}`
}
const frameName = (stem: string, frame: number, frames: number) =>
  `${stem}-f${String(frame + 1).padStart(Math.max(2, String(frames).length), '0')}.png`

/** Creates the folder; refuses (listing a few) when any of `names` already exists in it. */
async function prepareFolder(outputDir: string, names: readonly string[]): Promise<void> {
  const info = await stat(outputDir).catch(() => null)
  if (info && !info.isDirectory()) throw new Error(`${outputDir} is a file, not a folder; choose a folder for the images`)
  await mkdir(outputDir, { recursive: true })
  // Compared without case: on macOS and Windows seed-0001.png and Seed-0001.png are one file.
  const existing = new Set((await readdir(outputDir)).map((n) => n.toLowerCase()))
  const taken = names.filter((n) => existing.has(n.toLowerCase()))
  if (taken.length) {
    const shown = taken.slice(0, 3).join(', ') + (taken.length > 3 ? ` and ${taken.length - 3} more` : '')
    throw new Error(
      `${outputDir} already has ${shown}, which this run would write; Ganvas never overwrites files. Choose another output folder or other seeds.`,
    )
  }
}

/**
 * Writes `data` to `path` only if nothing is there: a fsynced temp file hard-linked into place
 * (link fails on an existing name, so readers never see half a file and a racing file is kept).
 * File systems without hard links (FAT, some network shares) get an exclusive copy instead.
 */
export async function writeFileExclusive(path: string, data: Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  const handle = await open(temp, 'wx')
  try {
    await handle.writeFile(data)
    await handle.sync()
    await handle.close()
    await link(temp, path).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') throw new Error(`${path} appeared while generating; Ganvas never overwrites files`)
      await copyFile(temp, path, constants.COPYFILE_EXCL)
    })
  } finally {
    await handle.close().catch(() => undefined) // already closed on success
    await rm(temp, { force: true })
  }
}

/** The request for a seed with the run's ψ and class (those left out take their defaults). */
const requestFor = (generator: FaceGenerator, seed: number, { psi, classIndex }: SampleOptions) =>
  generator.resolveRequest({ seed, ...(psi !== undefined ? { psi } : {}), ...(classIndex !== undefined ? { classIndex } : {}) })

/** Reports progress and lets the host cancel between batches. */
async function checkpoint(hooks: GenerateHooks | undefined, done: number, total: number, started: number) {
  const seconds = (performance.now() - started) / 1000
  hooks?.progress?.({ step: done, total, metrics: seconds > 0 ? { imagesPerSec: done / seconds } : {} })
  await hooks?.yield?.()
  hooks?.throwIfCancelled?.()
}

export interface WrittenFiles {
  outputDir: string
  /** Absolute paths, in the order written. */
  files: string[]
}

/**
 * One PNG per seed into `outputDir` (created if missing), batch by batch. Refuses before writing
 * anything when a name is taken; a cancel (hooks.throwIfCancelled throws) keeps the files written.
 */
export async function writeSamples(
  generator: FaceGenerator,
  outputDir: string,
  seeds: readonly number[],
  options: SampleOptions = {},
): Promise<WrittenFiles> {
  const dir = resolve(outputDir)
  if (new Set(seeds).size !== seeds.length) throw new Error('a seed is listed twice; each seed gives one image')
  const requests = seeds.map((seed) => requestFor(generator, seed, options))
  const names = requests.map((r) => sampleFileName(generator, r))
  await prepareFolder(dir, names)
  const started = performance.now()
  const files: string[] = []
  options.hooks?.throwIfCancelled?.()
  const batch = batchSizeFor(generator.size)
  for (let at = 0; at < requests.length; at += batch) {
    const chunk = requests.slice(at, at + batch)
    const images = generator.render(
      chunk.map((r) => generator.latentFor(r.seed, r.psi)),
      generator.classes ? chunk.map((r) => r.classIndex!) : undefined,
    )
    for (const [i, rgb] of images.entries()) {
      const path = join(dir, names[at + i]!)
      await writeFileExclusive(path, await encodePng(rgb, generator.size, generator.size, sampleMetadata(generator, chunk[i]!)))
      files.push(path)
    }
    await checkpoint(options.hooks, files.length, requests.length, started)
  }
  return { outputDir: dir, files }
}

/** "Make a data set": `count` images of seeds start … start+count−1. */
export function writeDataset(
  generator: FaceGenerator,
  outputDir: string,
  { start = 0, count, ...options }: SampleOptions & { start?: number; count: number },
): Promise<WrittenFiles> {
  return writeSamples(generator, outputDir, seedRange(start, count), options)
}

export interface InterpolationOptions extends SampleOptions {
  seedA: number
  seedB: number
  /** Frames including both ends (at least 2). */
  frames: number
  /** Also write each frame as a PNG (default true). */
  pngFrames?: boolean
  /** GIF frame time in milliseconds (default 80). */
  delayMs?: number
}

export interface WrittenInterpolation extends WrittenFiles {
  gif: string
}

/**
 * Spherical interpolation from seed A's latent to seed B's (both truncated by ψ), as
 * `interp-A-B.gif` and, unless pngFrames is false, `interp-A-B-f01.png` …. A conditional model uses
 * one class throughout: the one given, else seed A's.
 */
export async function writeInterpolation(
  generator: FaceGenerator,
  outputDir: string,
  options: InterpolationOptions,
): Promise<WrittenInterpolation> {
  const { seedA, seedB, frames } = options
  if (!Number.isInteger(frames) || frames < 2 || frames > 1000) throw new Error(`an interpolation has 2 to 1000 frames (got ${frames})`)
  const dir = resolve(outputDir)
  const a = requestFor(generator, seedA, options)
  generator.resolveRequest({ seed: seedB, psi: a.psi }) // checks seed B
  const settings: InterpolationSettings = { seedA, seedB, psi: a.psi, classIndex: a.classIndex, classFrom: a.classFrom, frames }
  const stem = interpolationStem(generator, settings)
  const framePngs = options.pngFrames === false ? [] : Array.from({ length: frames }, (_, k) => frameName(stem, k, frames))
  await prepareFolder(dir, [`${stem}.gif`, ...framePngs])

  // Truncating the ends and then slerping equals slerping then truncating: ψ only scales.
  const latents = interpolate(generator.latentFor(seedA, a.psi), generator.latentFor(seedB, a.psi), frames)
  const started = performance.now()
  const files: string[] = []
  const rendered: Uint8Array[] = []
  options.hooks?.throwIfCancelled?.()
  const batch = batchSizeFor(generator.size)
  for (let at = 0; at < frames; at += batch) {
    const images = generator.render(latents.slice(at, at + batch), a.classIndex ?? undefined)
    for (const [i, rgb] of images.entries()) {
      const k = at + i
      rendered.push(rgb)
      if (framePngs.length) {
        const path = join(dir, framePngs[k]!)
        await writeFileExclusive(path, await encodePng(rgb, generator.size, generator.size, interpolationMetadata(generator, settings, k)))
        files.push(path)
      }
    }
    await checkpoint(options.hooks, rendered.length, frames, started)
  }
  const gif = join(dir, `${stem}.gif`)
  const gifOptions = { metadata: interpolationMetadata(generator, settings), ...(options.delayMs !== undefined ? { delayMs: options.delayMs } : {}) }
  await writeFileExclusive(gif, encodeGif(rendered, generator.size, generator.size, gifOptions))
  return { outputDir: dir, gif, files: [gif, ...files] }
}
