import { mkdir } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

/** Everything Ganvas keeps (models, runs, settings) lives under one folder. */
export interface AppHome {
  root: string
  models: string
  runs: string
  settingsFile: string
}

/**
 * GANVAS_HOME wins; otherwise Electron's userData in the app, ~/.ganvas for the CLI and serve.
 */
export function resolveHome(options: { electronUserData?: string; env?: NodeJS.ProcessEnv } = {}): AppHome {
  const env = options.env ?? process.env
  const root = resolve(env.GANVAS_HOME?.trim() || options.electronUserData || join(homedir(), '.ganvas'))
  return {
    root,
    models: join(root, 'models'),
    runs: join(root, 'runs'),
    settingsFile: join(root, 'settings.json'),
  }
}

export async function ensureHome(home: AppHome): Promise<void> {
  await mkdir(home.models, { recursive: true })
  await mkdir(home.runs, { recursive: true })
}
