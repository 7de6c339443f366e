/**
 * Listing a folder and checking each file is a usable image. Read-only: sharp opens files for
 * reading and nothing here writes. Each failure becomes a reason a person can act on.
 */
import type { Dirent } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { extname, join } from 'node:path'
import sharp from 'sharp'
import { DatasetError, type Skipped } from './types'

/** Formats sharp's bundled libvips decodes. */
export const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.tif', '.tiff', '.avif'])
/** Image formats people have but our sharp build cannot read: say so rather than "not an image". */
const UNSUPPORTED_IMAGES = new Set(['.bmp', '.gif', '.heic', '.heif', '.svg', '.psd', '.raw', '.cr2', '.nef', '.dng'])
export const MIN_SIDE = 8
const MAX_PIXELS = 0x3fff * 0x3fff // sharp's default decode limit

/**
 * 'header' reads only the header (fast: for previews and big sets); a truncated file then passes
 * and is caught by the loader when first decoded. 'decode' decodes every pixel once (~5× slower).
 */
export type Verify = 'header' | 'decode'

export type Probe = { ok: true; path: string; width: number; height: number } | { ok: false; skipped: Skipped }

/** Non-hidden files and subfolders of `dir`, sorted by name (code points: same on every OS). */
export async function listFolder(dir: string): Promise<{ files: string[]; dirs: string[] }> {
  let entries: Dirent[]
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new DatasetError(`"${dir}" does not exist. Check the path, or choose another folder.`)
    if (code === 'ENOTDIR') throw new DatasetError(`"${dir}" is a file, not a folder. Choose the folder that holds the images.`)
    throw new DatasetError(`"${dir}" cannot be read (${code ?? String(error)}). Check its permissions.`)
  }
  const files: string[] = []
  const dirs: string[] = []
  for (const entry of entries.sort((x, y) => byCodePoint(x.name, y.name))) {
    if (entry.name.startsWith('.')) continue // .DS_Store, ._resource forks, editor temp files
    // Follow symlinks; anything unreadable is treated as a file and reported by probe().
    const isDir = entry.isSymbolicLink() ? (await stat(join(dir, entry.name)).catch(() => null))?.isDirectory() : entry.isDirectory()
    ;(isDir ? dirs : files).push(entry.name)
  }
  return { files, dirs }
}

export const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** A subfolder of `dirs` named `name`, ignoring case (`trainA`, `traina`). */
export const findDir = (dirs: string[], name: string) => dirs.find((d) => d.toLowerCase() === name.toLowerCase())

/** Checks one file; `aligned` adds the side-by-side checks (even width, halves big enough). */
export async function probe(path: string, { aligned = false, verify = 'header' as Verify } = {}): Promise<Probe> {
  const skip = (reason: string): Probe => ({ ok: false, skipped: { path, reason } })
  const ext = extname(path).toLowerCase()
  if (UNSUPPORTED_IMAGES.has(ext)) return skip(`${ext.slice(1).toUpperCase()} images are not supported: convert it to PNG or JPEG`)
  if (!IMAGE_EXTENSIONS.has(ext)) return skip(`not an image (${ext || 'no extension'}): use JPEG, PNG, WebP or TIFF files`)
  const info = await stat(path).catch((e: NodeJS.ErrnoException) => e)
  if (info instanceof Error) return skip(`cannot be read (${info.code ?? info.message})`)
  if (!info.isFile()) return skip('not a regular file')
  if (info.size === 0) return skip('empty file (0 bytes)')

  let width: number
  let height: number
  try {
    const meta = await sharp(path).metadata()
    ;({ width, height } = meta.autoOrient) // what the user sees, and what decode (autoOrient) produces
  } catch (error) {
    return skip(describeSharpError(error))
  }
  try {
    // A real decode, shrunk (not .stats(): here it misses truncation when other sharp calls run at once).
    if (verify === 'decode') await sharp(path, { failOn: 'error' }).resize(32, 32, { fit: 'fill' }).raw().toBuffer()
  } catch (error) {
    return skip(describeDecodeError(error))
  }
  if (width * height > MAX_PIXELS) return skip(`too large (${width}×${height} px); images must be under 268 megapixels`)
  if (aligned && width % 2 === 1) return skip(`width ${width} is odd, so it cannot be split into equal A|B halves`)
  const w = aligned ? width / 2 : width
  if (w < MIN_SIDE || height < MIN_SIDE) {
    const what = aligned ? `each half is ${w}×${height} px` : `${width}×${height} px`
    return skip(`too small (${what}); images must be at least ${MIN_SIDE}×${MIN_SIDE}`)
  }
  return { ok: true, path, width: w, height }
}

/**
 * libvips messages are terse, and its error buffer is shared between threads, so a message can
 * come back as "Unknown error" when another decode fails at the same time: map what we can.
 */
export function describeSharpError(error: unknown): string {
  const message = messageOf(error)
  if (/unsupported image format/i.test(message)) return 'not an image: the contents are not JPEG, PNG, WebP or TIFF'
  if (/corrupt header/i.test(message)) return 'corrupt image: the header is damaged'
  if (/input file is missing/i.test(message)) return 'file is missing (moved or deleted)'
  return `cannot be read as an image${detail(message)}`
}

/** The header was fine, so a failure now is in the pixel data. */
export function describeDecodeError(error: unknown): string {
  const message = messageOf(error)
  if (/input file is missing/i.test(message)) return 'file is missing (moved or deleted)'
  return `corrupt or truncated image data${detail(message)}`
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).trim()
/** libvips' own words, on one line: its messages span several, which would cut a one-line report short. */
const detail = (message: string) => {
  const oneLine = message.replace(/\s*\n\s*/g, '; ').trim()
  return oneLine && !/^unknown error$/i.test(oneLine) ? ` (${oneLine})` : ''
}

/** Runs `fn` over `items` with at most `limit` in flight, keeping order (sharp queues on libuv's 4 threads). */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}
