/**
 * Calls that return images to the studio at once (not as jobs): live translation, face samples and
 * interpolations from the engine; thumbnails, previews, metadata and data-set scans made here with
 * sharp, so the renderer only decodes and draws.
 */
import { basename, dirname, join } from 'node:path'
import sharp from 'sharp'
import { scanPaired, summarize } from '../engine/data/scan'
import { scanImages } from '../engine/data/scan-images'
import { DatasetError } from '../engine/data/types'
import { readGanvasMetadata } from '../engine/images/png-metadata'
import { settingsFromMetadata } from '../engine/inference/generate-metadata'
import type { Handlers } from './dispatch'
import type { EngineHost } from './engine-host'
import type { JobRegistry } from './jobs'
import type { PathGuard } from './path-guard'
import { ThumbnailCache } from './thumbnails'

export interface MediaContext {
  modelsDir: string
  guard: PathGuard
  engine: EngineHost
  jobs: JobRegistry
}

type MediaMethods =
  | 'translate.image'
  | 'faces.sample'
  | 'faces.interpolate'
  | 'faces.makeDataset'
  | 'images.metadata'
  | 'images.read'
  | 'images.thumbnails'
  | 'datasets.scan'

const pngUrl = (base64: string) => `data:image/png;base64,${base64}`
const bytesOf = (dataUrl: string) => Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64')

export function mediaHandlers({ modelsDir, guard, engine, jobs }: MediaContext): Pick<Handlers, MediaMethods> {
  const thumbnails = new ThumbnailCache()
  const modelDir = (model: string) => join(modelsDir, model)
  return {
    'translate.image': async ({ model, image, direction }) => {
      const source = typeof image === 'string' ? { base64: image.slice(image.indexOf(',') + 1) } : { path: await guard.check(image.path, 'input.image.path') }
      const result = await engine.call('translateImage', { model: modelDir(model), image: source, ...(direction ? { direction } : {}) })
      return { image: pngUrl(result.png), width: result.width, height: result.height, ms: result.ms }
    },
    'faces.sample': async ({ model, seeds, psi, class: className }) => {
      const result = await engine.call('sample', { model: modelDir(model), seeds, psi, ...(className !== undefined ? { class: className } : {}) })
      return { images: result.images.map((i) => ({ seed: i.seed, class: i.class, image: pngUrl(i.png) })), ms: result.ms }
    },
    'faces.interpolate': async ({ model, class: className, ...rest }) => {
      const result = await engine.call('interpolate', { model: modelDir(model), ...rest, ...(className !== undefined ? { class: className } : {}) })
      return { frames: result.frames.map(pngUrl), gif: `data:image/gif;base64,${result.gif}`, ms: result.ms }
    },
    'faces.makeDataset': async ({ model, output, count, start, psi, class: className }) => {
      // The folder may not exist yet; its parent must be one this session may write into.
      const target = join(await guard.check(dirname(output), 'input.output'), basename(output))
      const request = { model: modelDir(model), output: target, start, count, psi, ...(className !== undefined ? { class: className } : {}) }
      const job = jobs.start(
        'generate',
        `Make a data set of ${count} images with “${model}”`,
        (ctx) => engine.call('generate', request, { onProgress: ctx.progress, signal: ctx.signal }),
        model,
      )
      return { jobId: job.id }
    },
    'images.metadata': async ({ image }) => {
      const metadata = readGanvasMetadata(bytesOf(image))
      const settings = settingsFromMetadata(metadata)
      const faces =
        settings && 'seed' in settings
          ? { model: typeof settings.model === 'string' ? settings.model : null, seed: settings.seed, psi: settings.psi, class: settings.class ?? null }
          : null
      return { metadata, faces }
    },
    'images.read': async ({ path, maxSize }) => {
      const real = await guard.check(path)
      const { data, info } = await sharp(real).rotate().resize(maxSize, maxSize, { fit: 'inside', withoutEnlargement: true }).png().toBuffer({ resolveWithObject: true })
      return { image: pngUrl(data.toString('base64')), width: info.width, height: info.height }
    },
    'images.thumbnails': async ({ paths, size }) => ({
      items: await Promise.all(
        paths.map(async (path) => {
          try {
            return { path, image: await thumbnails.get(await guard.check(path), size), problem: null }
          } catch (error) {
            return { path, image: null, problem: error instanceof Error ? error.message : String(error) }
          }
        }),
      ),
    }),
    'datasets.scan': async ({ dir, layout }) => {
      const real = await guard.check(dir, 'input.dir')
      try {
        if (layout === 'paired') {
          const pairs = await scanPaired(real)
          return { dir: real, images: pairs.items.map((i) => i.a.path), classes: null, skipped: pairs.skipped, problem: null }
        }
        const found = await scanImages(real)
        const counts = summarize(found).classes ?? {}
        const classes = found.classes?.map((name) => ({ name, count: counts[name] ?? 0 })) ?? null
        return { dir: real, images: found.items.map((i) => i.ref.path), classes, skipped: found.skipped, problem: null }
      } catch (error) {
        if (!(error instanceof DatasetError)) throw error
        return { dir: real, images: [], classes: null, skipped: [], problem: error.message }
      }
    },
  }
}
