/**
 * A face generator's data: one folder of images, or one subfolder per class (the torchvision
 * ImageFolder layout), which makes the run class-conditional. Read-only, like every scan.
 *
 *   DIR/*.png                  unconditional
 *   DIR/smiling/*.png, DIR/…    conditional, classes = subfolder names (when DIR itself has no images)
 */
import { join, relative, resolve } from 'node:path'
import { byCodePoint, listFolder, mapLimit, probe, type Verify } from './probe'
import { DatasetError, type ImageFolderDataset, type ImageRef, type Skipped } from './types'

const HELP = 'Put the images in the folder itself, or in one subfolder per class (e.g. smiling/ and neutral/).'
const PROBES_IN_FLIGHT = 8

export async function scanImages(dir: string, { verify = 'header' as Verify } = {}): Promise<ImageFolderDataset> {
  const root = resolve(dir)
  const listing = await listFolder(root)
  const skipped: Skipped[] = []
  const probeAll = async (folder: string, files: string[]) => {
    const refs: ImageRef[] = []
    for (const p of await mapLimit(files, PROBES_IN_FLIGHT, (f) => probe(join(folder, f), { verify }))) {
      if (p.ok) refs.push({ path: p.path, width: p.width, height: p.height })
      else skipped.push(p.skipped)
    }
    return refs
  }

  const top = await probeAll(root, listing.files)
  if (top.length > 0 || listing.dirs.length === 0) {
    // Images beside subfolders: the images are the data set, the subfolders are left alone.
    for (const d of listing.dirs) skipped.push({ path: join(root, d), reason: 'a subfolder beside images: not used (put every class in its own subfolder to train by class)' })
    return finish(root, null, top.map((ref) => ({ ref, label: 0 })), skipped)
  }
  const classes: string[] = []
  const items: ImageFolderDataset['items'] = []
  for (const name of listing.dirs) {
    const folder = join(root, name)
    const refs = await probeAll(folder, (await listFolder(folder)).files)
    if (refs.length === 0) {
      skipped.push({ path: folder, reason: 'a class folder with no usable images: not used' })
      continue
    }
    for (const ref of refs) items.push({ ref, label: classes.length })
    classes.push(name)
  }
  // One class folder is just where the images live, not a condition.
  return finish(root, classes.length > 1 ? classes : null, items, skipped)
}

function finish(root: string, classes: string[] | null, items: ImageFolderDataset['items'], skipped: Skipped[]): ImageFolderDataset {
  skipped.sort((x, y) => byCodePoint(x.path, y.path))
  if (items.length === 0) {
    const shown = skipped.slice(0, 3).map((s) => `${relative(root, s.path)}: ${s.reason}`)
    const why = skipped.length ? ` (${skipped.length} skipped: ${shown.join('; ')}${skipped.length > 3 ? '; …' : ''})` : ''
    throw new DatasetError(`"${root}" has no usable images${why}. ${HELP}`)
  }
  items.sort((x, y) => byCodePoint(x.ref.path, y.ref.path))
  return { kind: 'images', root, classes, items, skipped }
}
