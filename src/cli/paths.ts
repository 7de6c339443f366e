import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** Where the CLI finds the project it ships in (it runs from source through tsx). */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url))
export const rendererDir = fileURLToPath(new URL('../../out/renderer', import.meta.url))
export const version: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version
