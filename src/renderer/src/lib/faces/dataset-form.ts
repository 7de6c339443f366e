/**
 * The "make a data set" form: where the images go and how many. Checked here so the user sees a
 * problem beside the field before anything starts; the host checks again (it is the authority).
 * Paths are the host's, which may be Windows paths even when this renderer runs elsewhere.
 */

export const MAX_DATASET = 100_000

const isWindowsPath = (path: string) => /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\')
const separatorOf = (path: string) => (isWindowsPath(path) || (path.includes('\\') && !path.includes('/')) ? '\\' : '/')

export function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || isWindowsPath(path)
}

/** Trailing separators off (but not the root's own). */
function trimEnd(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '')
  return trimmed === '' || /^[A-Za-z]:$/.test(trimmed) ? path : trimmed
}

export function joinPath(folder: string, name: string): string {
  const base = trimEnd(folder)
  const sep = separatorOf(base)
  return /[\\/]$/.test(base) ? `${base}${name}` : `${base}${sep}${name}`
}

/** The folder holding `path`, or null at the top. */
export function parentOf(path: string): string | null {
  const trimmed = trimEnd(path)
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'))
  if (cut < 0) return null
  const parent = trimmed.slice(0, cut)
  if (parent === '') return trimmed.startsWith('/') && trimmed !== '/' ? '/' : null
  if (/^[A-Za-z]:$/.test(parent)) return `${parent}${trimmed[cut]}`
  return parent
}

/** Whether `path` is `root` or inside it (by name; the host resolves links). */
export function isInside(path: string, root: string): boolean {
  const windows = isWindowsPath(root)
  const norm = (p: string) => {
    const t = trimEnd(p).replace(/\\/g, '/')
    return windows ? t.toLowerCase() : t
  }
  const p = norm(path)
  const r = norm(root)
  return p === r || p.startsWith(r.endsWith('/') ? r : `${r}/`)
}

/** A folder name from a model id: "Tiny faces" → "tiny-faces-faces". */
export function suggestedFolderName(modelId: string, className: string | null = null): string {
  const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'faces'
  return `${slug(modelId)}${className ? `-${slug(className)}` : ''}-dataset`
}

/** Null when fine, else what is wrong with the output folder, in words. */
export function outputProblem(path: string, roots: readonly string[]): string | null {
  const value = path.trim()
  if (value === '') return 'Choose where the images go: a new or empty folder.'
  if (!isAbsolutePath(value)) return `Write the full path, starting with ${roots[0] ? `“${roots[0]}”` : '/'}.`
  if (/(^|[\\/])\.\.([\\/]|$)/.test(value)) return 'Write the path without “..”.'
  const parent = parentOf(value)
  if (parent === null) return 'Choose a folder inside one of the allowed folders, not the top of the disk.'
  if (roots.length > 0 && !roots.some((root) => isInside(parent, root))) {
    return `Its parent folder must be inside ${roots.length === 1 ? `“${roots[0]}”` : `one of: ${roots.map((r) => `“${r}”`).join(', ')}`} (the folders this session may write into).`
  }
  return null
}

/** Null when fine, else what is wrong with the count. */
export function countProblem(count: number): string | null {
  if (!Number.isInteger(count) || count < 1) return 'Write how many images: a whole number, at least 1.'
  if (count > MAX_DATASET) return `At most ${MAX_DATASET.toLocaleString('en-US')} images per data set.`
  return null
}

/** Null when fine, else what is wrong with the first seed (seeds first … first+count−1 are used). */
export function startProblem(start: number, count: number): string | null {
  if (!Number.isInteger(start) || start < 0) return 'The first seed is a whole number from 0.'
  if (start + Math.max(1, count) - 1 > 0xffffffff) return 'The seeds would run past the largest seed, 4294967295.'
  return null
}
