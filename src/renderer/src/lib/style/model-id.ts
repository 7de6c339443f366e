/**
 * A model's id is its folder name in the library: derived from the name the artist types, kept to
 * what the contract's ModelId allows (letters, digits, spaces, . _ -, starting with a letter or
 * digit) and to what every file system accepts.
 */

const MAX_LENGTH = 100
/** Names Windows reserves for devices, whatever the extension. */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i

/** "Van Gogh → my photos!" → "Van Gogh - my photos"; '' when nothing usable is left. */
export function deriveModelId(name: string): string {
  let id = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // é → e, ü → u
    .replace(/\s+/g, ' ')
    .replace(/[^A-Za-z0-9 _.-]+/g, '-')
    .replace(/-+( ?-+)*/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
  id = id.slice(0, MAX_LENGTH).replace(/[\s.-]+$/, '') // no trailing dots or spaces (Windows drops them)
  if (WINDOWS_RESERVED.test(id)) id = `${id}-model`
  return id
}

/** Why `id` cannot be a new model, for the user; null when it can. Duplicates ignore case (macOS, Windows). */
export function modelIdProblem(name: string, id: string, existingIds: readonly string[]): string | null {
  if (name.trim() === '') return 'Give the new model a name: it is how you will find it in Models.'
  if (id === '') return 'Use at least one letter or digit (A–Z, 0–9) in the name: it also names the model’s folder.'
  const taken = existingIds.find((existing) => existing.toLowerCase() === id.toLowerCase())
  if (taken !== undefined) {
    return `There is already a model in your library with the folder name “${taken}”. Choose another name, or delete that model in Models first.`
  }
  return null
}
