/**
 * Small rules of the Models library as pure functions: export file names, what an import source
 * is, the name an import suggests, and sizes in words.
 */
import { baseName } from '../train/run-format'
import { modelNameProblem, suggestModelName } from '../train/start-form'

/** The file models.export writes into the chosen folder. */
export const exportFileName = (model: string): string => `${model}.ganvas.zip`

/** A zip made by export (or any .zip), else a model folder. */
export const importSourceKind = (source: string): 'zip' | 'folder' => (/\.zip$/i.test(source.trim()) ? 'zip' : 'folder')

/** The library id an import suggests: "/exports/shapes.ganvas.zip" → "shapes", or "shapes 2" when taken. */
export const suggestImportName = (source: string, existing: readonly string[]): string =>
  suggestModelName(source.trim().replace(/[\\/]+$/, ''), existing, 'imported')

/** What is wrong with an import before it is sent, or null. */
export function importProblem(source: string, name: string, existing: readonly string[]): string | null {
  const path = source.trim()
  if (path === '') return 'Enter the path of a model zip or a model folder.'
  if (!/^([A-Za-z]:[\\/]|[\\/])/.test(path)) return 'Enter the full path, starting from the top of the disk (for example /home/you/shapes.ganvas.zip).'
  if (baseName(path).endsWith('.part') || /\.zip\.part-\d+$/.test(path)) return 'That file is an unfinished export.'
  return modelNameProblem(name, existing)
}

/** Bytes as "734 KB", "12.4 MB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return ''
  if (bytes < 1024) return `${bytes} bytes`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`
}
