/**
 * Translate every image of a folder (not its subfolders) into an output folder: `cat.jpg` → `cat.png`.
 * Inputs are only read. An existing output file is replaced only when its Ganvas metadata says it
 * was translated from the same source file (a re-run); anything else gets a free name (`cat-1.png`).
 */
import { lstat, mkdir, readdir, realpath, stat } from 'node:fs/promises'
import { extname, join, resolve } from 'node:path'
import { decodeRgb, type RgbImage } from '../images/convert'
import { readGanvasMetadataFile } from '../images/png-metadata'
import { writeFileAtomic } from '../storage/atomic-write'
import { translateRgb, type Translator } from './translate'

export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff', '.avif'])

export interface FolderOptions {
  /** After each image: how many of `total` images are done, and which file that was. */
  onProgress?: (done: number, total: number, file: string) => void
  /** Checked before each image; the run stops early and returns what it wrote. */
  signal?: AbortSignal
}

export interface FolderResult {
  written: string[]
  skipped: { path: string; reason: string }[]
  cancelled: boolean
}

export async function translateFolder(
  translator: Translator,
  inputDir: string,
  outputDir: string,
  options: FolderOptions = {},
): Promise<FolderResult> {
  const input = await realpath(inputDir).catch(() => null)
  if (!input || !(await stat(input)).isDirectory()) throw new Error(`${inputDir}: the input folder does not exist or is not a folder`)
  if (((await realpath(outputDir).catch(() => null)) ?? resolve(outputDir)) === input) {
    throw new Error(`the output folder is the input folder (${inputDir}); choose another folder, or a subfolder of it, for the results`)
  }
  await mkdir(outputDir, { recursive: true })

  const result: FolderResult = { written: [], skipped: [], cancelled: false }
  const images: { path: string; name: string }[] = []
  const names = (await readdir(input)).filter((n) => !n.startsWith('.')).sort((a, b) => a.localeCompare(b))
  for (const name of names) {
    const path = join(inputDir, name)
    const info = await stat(path).catch(() => null)
    if (info?.isDirectory()) continue // subfolders (the output folder may be one) are not searched
    const ext = extname(name).toLowerCase()
    if (!info?.isFile()) result.skipped.push({ path, reason: 'not a regular file' })
    else if (!IMAGE_EXTENSIONS.has(ext)) result.skipped.push({ path, reason: `not an image file (${ext || 'no extension'})` })
    else images.push({ path, name })
  }

  const used = new Set<string>()
  for (const [index, { path, name }] of images.entries()) {
    if (options.signal?.aborted) {
      result.cancelled = true
      break
    }
    let image: RgbImage | null = null
    try {
      image = await decodeRgb(path)
    } catch (error) {
      result.skipped.push({ path, reason: (error as Error).message })
    }
    if (image) {
      const translated = await translateRgb(translator, image, name)
      const target = await freeTarget(outputDir, name.slice(0, name.length - extname(name).length), name, used)
      await writeFileAtomic(target, translated.png)
      result.written.push(target)
    }
    options.onProgress?.(index + 1, images.length, path)
  }
  return result
}

/** `stem.png`, else `stem-1.png`, `stem-2.png`, …: the first name not used in this run whose file is absent or our earlier output of `source`. */
async function freeTarget(outputDir: string, stem: string, source: string, used: Set<string>): Promise<string> {
  for (let n = 0; ; n++) {
    const name = n === 0 ? `${stem}.png` : `${stem}-${n}.png`
    if (used.has(name.toLowerCase())) continue // lower case: Cat.jpg and cat.png collide on macOS and Windows
    const path = join(outputDir, name)
    const existing = await lstat(path).catch(() => null)
    if (existing && !(existing.isFile() && (await readGanvasMetadataFile(path))?.source === source)) continue
    used.add(name.toLowerCase())
    return path
  }
}
