/**
 * Finding datasets in the user's folders (read-only). Every unusable file is skipped with its
 * reason; a scan throws DatasetError only when nothing usable is left.
 *
 *   paired   DIR/*.jpg (side-by-side A|B) · DIR/A/ + DIR/B/ (matched by name) · either inside DIR/train/
 *   unpaired DIR/trainA/ + DIR/trainB/ · or two folders given separately
 */
import { basename, extname, join, relative, resolve, sep } from 'node:path'
import { byCodePoint, findDir, listFolder, mapLimit, probe, type Verify } from './probe'
import { DatasetError, type Dataset, type Direction, type ImageRef, type PairedDataset, type Skipped, type UnpairedDataset } from './types'

export { DatasetError } from './types'
export type { Dataset, Direction, ImageRef, PairedDataset, Skipped, UnpairedDataset } from './types'
export type { Verify } from './probe'

export interface ScanOptions {
  /** BtoA swaps the roles: B becomes the model's input. */
  direction?: Direction
  verify?: Verify
}

const PAIRED_HELP = 'Put side-by-side A|B images in the folder, or A/ and B/ subfolders with matching names.'
const UNPAIRED_HELP = 'Put the two sets of images in trainA/ and trainB/ subfolders, or choose the two folders separately.'
const PROBES_IN_FLIGHT = 8

export async function scanPaired(dir: string, { direction = 'AtoB', verify = 'header' }: ScanOptions = {}): Promise<PairedDataset> {
  let root = resolve(dir)
  let listing = await listFolder(root)
  const train = findDir(listing.dirs, 'train') // the reference layout: train/ (val/, test/ are not for training)
  if (train) listing = await listFolder((root = join(root, train)))
  const dirA = findDir(listing.dirs, 'A')
  const dirB = findDir(listing.dirs, 'B')
  if ((dirA === undefined) !== (dirB === undefined)) {
    const [has, lacks] = dirA ? ['A', 'B'] : ['B', 'A']
    throw new DatasetError(`"${root}" has ${has}/ but no ${lacks}/ subfolder. ${PAIRED_HELP}`)
  }
  const skipped: Skipped[] = []
  const items: PairedDataset['items'] = []
  const swap = direction === 'BtoA'
  const push = (name: string, a: ImageRef, b: ImageRef) => items.push(swap ? { name, a: b, b: a } : { name, a, b })

  if (dirA && dirB) {
    const probeSide = (name: string) => probeFolder(join(root, name), skipped, verify)
    const [sideA, sideB] = await Promise.all([probeSide(dirA), probeSide(dirB)])
    for (const [key, a] of sideA.byStem) {
      const b = sideB.byStem.get(key)
      if (b) push(stem(a.path), a, b)
      else skipped.push({ path: a.path, reason: partnerReason(sideB, key, dirB) })
    }
    for (const [key, b] of sideB.byStem) {
      if (!sideA.byStem.has(key)) skipped.push({ path: b.path, reason: partnerReason(sideA, key, dirA) })
    }
  } else {
    const paths = listing.files.map((f) => join(root, f))
    for (const p of await mapLimit(paths, PROBES_IN_FLIGHT, (path) => probe(path, { aligned: true, verify }))) {
      if (!p.ok) skipped.push(p.skipped)
      else {
        const half = { path: p.path, width: p.width, height: p.height }
        push(stem(p.path), { ...half, half: 'left' }, { ...half, half: 'right' })
      }
    }
  }
  items.sort((x, y) => byCodePoint(x.name, y.name) || byCodePoint(x.a.path, y.a.path))
  skipped.sort((x, y) => byCodePoint(x.path, y.path))
  if (items.length === 0) throw nothingUsable(root, 'image pairs', skipped, PAIRED_HELP)
  return { kind: 'paired', layout: dirA ? 'folders' : 'aligned', root, direction, items, skipped }
}

export async function scanUnpaired(
  source: string | { dirA: string; dirB: string },
  { direction = 'AtoB', verify = 'header' }: ScanOptions = {},
): Promise<UnpairedDataset> {
  let dirA: string
  let dirB: string
  if (typeof source === 'string') {
    const root = resolve(source)
    const { dirs } = await listFolder(root)
    const a = findDir(dirs, 'trainA')
    const b = findDir(dirs, 'trainB')
    if (!a || !b) {
      const found = a || b ? ` (found ${a ?? b}/ only)` : ''
      throw new DatasetError(`"${root}" has no trainA/ and trainB/ subfolders${found}. ${UNPAIRED_HELP}`)
    }
    ;[dirA, dirB] = [join(root, a), join(root, b)]
  } else {
    ;[dirA, dirB] = [resolve(source.dirA), resolve(source.dirB)]
  }
  const skipped: Skipped[] = []
  const [sideA, sideB] = await Promise.all([probeFolder(dirA, skipped, verify), probeFolder(dirB, skipped, verify)])
  skipped.sort((x, y) => byCodePoint(x.path, y.path))
  for (const [side, dir] of [[sideA, dirA], [sideB, dirB]] as const) {
    const own = skipped.filter((s) => s.path.startsWith(dir + sep))
    if (side.refs.length === 0) throw nothingUsable(dir, 'images', own, `Both sides need images. ${UNPAIRED_HELP}`)
  }
  const [a, b, da, db] = direction === 'BtoA' ? [sideB.refs, sideA.refs, dirB, dirA] : [sideA.refs, sideB.refs, dirA, dirB]
  return { kind: 'unpaired', dirA: da, dirB: db, direction, a, b, skipped }
}

/** A small JSON-able description for the model manifest. */
export type DatasetSummary = {
  kind: Dataset['kind']
  layout?: PairedDataset['layout']
  root?: string
  dirA?: string
  dirB?: string
  direction?: Direction
  pairs?: number
  a?: number
  b?: number
  images?: number
  /** Images per class, for class-conditional data. */
  classes?: Record<string, number>
  skipped: number
  skippedExamples: { file: string; reason: string }[]
}

export function summarize(dataset: Dataset): DatasetSummary {
  const base = dataset.kind === 'unpaired' ? commonParent(dataset.dirA, dataset.dirB) : dataset.root
  // Capped: a folder may hold thousands of strays; the run's first message lists every one.
  const skippedExamples = dataset.skipped.slice(0, 100).map((s) => ({ file: relative(base, s.path), reason: s.reason }))
  if (dataset.kind === 'images') {
    const classes = dataset.classes
      ? Object.fromEntries(dataset.classes.map((name, i) => [name, dataset.items.filter((item) => item.label === i).length]))
      : undefined
    return { kind: 'images', root: dataset.root, images: dataset.items.length, ...(classes ? { classes } : {}), skipped: dataset.skipped.length, skippedExamples }
  }
  const common = { direction: dataset.direction, skipped: dataset.skipped.length, skippedExamples }
  if (dataset.kind === 'paired') {
    return { kind: 'paired', layout: dataset.layout, root: dataset.root, pairs: dataset.items.length, ...common }
  }
  return { kind: 'unpaired', dirA: dataset.dirA, dirB: dataset.dirB, a: dataset.a.length, b: dataset.b.length, ...common }
}

interface Side {
  dir: string
  refs: ImageRef[]
  /** Usable images by lower-case stem: `Cat.JPG` in A/ pairs with `cat.png` in B/. */
  byStem: Map<string, ImageRef>
  /** Stems whose file was skipped, to explain why their partner is unmatched. */
  failed: Map<string, string>
}

async function probeFolder(dir: string, skipped: Skipped[], verify: Verify): Promise<Side> {
  const { files } = await listFolder(dir)
  const side: Side = { dir, refs: [], byStem: new Map(), failed: new Map() }
  const probes = await mapLimit(files, PROBES_IN_FLIGHT, (f) => probe(join(dir, f), { verify }))
  for (const p of probes) {
    const key = stem(p.ok ? p.path : p.skipped.path).toLowerCase()
    if (!p.ok) {
      skipped.push(p.skipped)
      side.failed.set(key, p.skipped.path)
      continue
    }
    const twin = side.byStem.get(key)
    if (twin) {
      skipped.push({ path: p.path, reason: `same name as ${basename(twin.path)}, which is used instead` })
      continue
    }
    const ref = { path: p.path, width: p.width, height: p.height }
    side.refs.push(ref)
    side.byStem.set(key, ref)
  }
  return side
}

function partnerReason(other: Side, key: string, otherName: string): string {
  const failed = other.failed.get(key)
  return failed ? `its partner ${otherName}/${basename(failed)} is unusable` : `no file with the same name in ${otherName}/`
}

function nothingUsable(root: string, what: string, skipped: Skipped[], help: string): DatasetError {
  if (skipped.length === 0) return new DatasetError(`"${root}" has no images. ${help}`)
  const shown = skipped.slice(0, 3).map((s) => `${relative(root, s.path)}: ${s.reason}`)
  const more = skipped.length > 3 ? '; …' : ''
  const files = skipped.length === 1 ? '1 file' : `${skipped.length} files`
  return new DatasetError(`"${root}" has no usable ${what}: ${files} skipped (${shown.join('; ')}${more}). ${help}`)
}

const stem = (path: string) => basename(path, extname(path))

function commonParent(x: string, y: string): string {
  const a = x.split(/[\\/]/)
  const b = y.split(/[\\/]/)
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return a.slice(0, i).join(sep) || sep
}
