/**
 * Path and list logic of the folder browser (serve mode, where there is no system dialog). Paths
 * come from the host, which may be Windows: separators are taken from the path itself.
 */
import type { FileEntry } from '../../../shared/schemas'

const separatorOf = (path: string): '/' | '\\' => (path.includes('\\') && !path.includes('/') ? '\\' : '/')

export function joinPath(dir: string, name: string): string {
  const sep = separatorOf(dir)
  return dir.endsWith(sep) ? `${dir}${name}` : `${dir}${sep}${name}`
}

/** The last part of a path ('/data/trainA/' → 'trainA'); a root such as '/' or 'C:\' is itself. */
export function baseName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '')
  if (trimmed === '' || /^[A-Za-z]:$/.test(trimmed)) return path
  return trimmed.slice(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1)
}

/** The folder holding `path`, or null at the top of the file system. */
export function parentOf(path: string): string | null {
  const trimmed = path.replace(/[\\/]+$/, '')
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'))
  if (cut < 0) return null
  if (cut === 0) return trimmed.length > 1 ? trimmed[0]! : null
  const parent = trimmed.slice(0, cut)
  return /^[A-Za-z]:$/.test(parent) ? `${parent}${trimmed[cut]}` : parent
}

/** Whether `path` is one of `roots` or lies inside one (string comparison of absolute paths). */
export function isWithinRoots(path: string, roots: readonly string[]): boolean {
  return roots.some((root) => {
    if (path === root) return true
    const sep = separatorOf(root)
    const prefix = root.endsWith(sep) ? root : `${root}${sep}`
    return path.startsWith(prefix)
  })
}

/** "8 images, 1 other file and 2 folders", or "Empty folder". */
export function describeEntries(entries: readonly FileEntry[]): string {
  const count = (kind: FileEntry['kind']) => entries.filter((entry) => entry.kind === kind).length
  const parts: string[] = []
  const images = count('image')
  const files = count('file')
  const dirs = count('dir')
  if (images > 0) parts.push(`${images.toLocaleString('en-US')} ${images === 1 ? 'image' : 'images'}`)
  if (files > 0) parts.push(`${files.toLocaleString('en-US')} other ${files === 1 ? 'file' : 'files'}`)
  if (dirs > 0) parts.push(`${dirs.toLocaleString('en-US')} ${dirs === 1 ? 'folder' : 'folders'}`)
  if (parts.length === 0) return 'Empty folder'
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`
}

/**
 * Type-ahead: the first name after `from` (wrapping) that starts with `query`, ignoring case.
 * Typing the same letter again walks through the names starting with it.
 */
export function typeAhead(names: readonly string[], query: string, from: number): number | null {
  if (names.length === 0 || query === '') return null
  const q = query.toLocaleLowerCase()
  const repeated = q.length > 1 && [...q].every((c) => c === q[0])
  const needle = repeated ? q[0]! : q
  // A fresh single letter or a repeated one moves on from the current item; a longer word may stay.
  const offset = needle.length === 1 ? 1 : 0
  for (let i = 0; i < names.length; i++) {
    const index = (from + offset + i) % names.length
    if (names[index]!.toLocaleLowerCase().startsWith(needle)) return index
  }
  return null
}
