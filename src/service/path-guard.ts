import { realpath } from 'node:fs/promises'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { ServiceError } from './errors'

/**
 * The folders a session may read. A path is allowed when its real path (symlinks resolved)
 * lies inside the real path of some root, so `..` and links cannot step outside.
 */
export class PathGuard {
  readonly #roots = new Set<string>()

  get roots(): string[] {
    return [...this.#roots]
  }

  async addRoot(path: string): Promise<string> {
    const real = await realpath(resolve(path))
    this.#roots.add(real)
    return real
  }

  /** Returns the real path, or throws `forbidden` / `not_found` with a message for the user. */
  async check(path: string, field = 'input.path'): Promise<string> {
    if (!isAbsolute(path)) {
      throw new ServiceError('invalid_input', `${field}: "${path}" is not an absolute path`, field)
    }
    let real: string
    try {
      real = await realpath(path)
    } catch {
      throw new ServiceError('not_found', `${field}: "${path}" does not exist or cannot be read`, field)
    }
    if (!this.contains(real)) {
      throw new ServiceError(
        'forbidden',
        `${field}: "${path}" is outside the folders this session may open. Open it in the studio first, or start serve mode with --root.`,
        field,
      )
    }
    return real
  }

  contains(realPath: string): boolean {
    for (const root of this.#roots) {
      const rel = relative(root, realPath)
      if (rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel))) return true
    }
    return false
  }
}
