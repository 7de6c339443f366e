import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resolveHome, type AppHome } from '../../src/service/app-home'

/** A throwaway GANVAS_HOME; call cleanup() in afterEach/afterAll. */
export async function tempHome(): Promise<{ home: AppHome; dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ganvas-test-'))
  return { home: resolveHome({ env: { GANVAS_HOME: dir } }), dir, cleanup: () => rm(dir, { recursive: true, force: true }) }
}
