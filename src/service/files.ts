import { readdir, stat } from 'node:fs/promises'
import { dirname, extname, join } from 'node:path'
import type { FileEntry } from '../shared/schemas'
import type { PathGuard } from './path-guard'
import { ServiceError } from './errors'

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.bmp', '.gif', '.tif', '.tiff'])

/** One folder's entries, folders first; hidden files left out. */
export async function listFolder(
  guard: PathGuard,
  path: string,
): Promise<{ path: string; parent: string | null; entries: FileEntry[] }> {
  const real = await guard.check(path)
  const info = await stat(real)
  if (!info.isDirectory()) throw new ServiceError('invalid_input', `input.path: "${path}" is not a folder`, 'input.path')
  const dirents = await readdir(real, { withFileTypes: true })
  const entries: FileEntry[] = []
  for (const d of dirents) {
    if (d.name.startsWith('.')) continue
    if (d.isDirectory()) {
      entries.push({ name: d.name, kind: 'dir', size: 0 })
    } else if (d.isFile()) {
      const size = await stat(join(real, d.name)).then((s) => s.size, () => 0)
      const kind = IMAGE_EXTENSIONS.has(extname(d.name).toLowerCase()) ? 'image' : 'file'
      entries.push({ name: d.name, kind, size })
    }
  }
  entries.sort((a, b) => (a.kind === 'dir') !== (b.kind === 'dir') ? (a.kind === 'dir' ? -1 : 1) : a.name.localeCompare(b.name))
  const up = dirname(real)
  return { path: real, parent: up !== real && guard.contains(up) ? up : null, entries }
}
