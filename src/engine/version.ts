/**
 * The Ganvas version from the root package.json, read once. Both src/engine/version.ts and the
 * bundled out/main/engine.js sit two folders below the root; other layouts fall back to searching
 * upward for our package.json. Never throws: an unknown layout gives '0.0.0-unknown'.
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function findVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let depth = 0; depth < 5; depth++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown }
      if (pkg.name === 'ganvas' && typeof pkg.version === 'string') return pkg.version
    } catch {
      // no package.json here: keep looking upward
    }
    dir = dirname(dir)
  }
  return '0.0.0-unknown'
}

export const ganvasVersion: string = findVersion()
