/**
 * Everything main reads from its surroundings at start-up, decided in one pure function:
 * where the built files are, whether the dev server is used, and the engine backend override.
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { BackendPreference } from '../shared/schemas'
import type { AppOrigin } from './trust'

export interface LaunchConfig {
  isDev: boolean
  /** electron-vite dev's renderer server; never honoured in a packaged app. */
  devServerUrl: string | null
  preloadPath: string
  rendererIndexPath: string
  enginePath: string
  iconPath: string
  origin: AppOrigin
  backendOverride: BackendPreference | undefined
  /** Problems with the environment, for the log; none of them stops the app. */
  warnings: string[]
}

export interface LaunchFacts {
  env: NodeJS.ProcessEnv
  isPackaged: boolean
  platform: NodeJS.Platform
  /** Folder of the built main bundle (out/main). */
  mainDir: string
  /** app.getAppPath(): the project root in development, app.asar when packaged. */
  appPath: string
}

export function readLaunchConfig({ env, isPackaged, platform, mainDir, appPath }: LaunchFacts): LaunchConfig {
  const warnings: string[] = []
  const rendererIndexPath = join(mainDir, '../renderer/index.html')

  let devServerUrl: string | null = null
  const requested = env.ELECTRON_RENDERER_URL?.trim()
  if (requested && isPackaged) {
    // A packaged app only ever shows its own files: an env var must not point it at a server.
    warnings.push('ELECTRON_RENDERER_URL is ignored in a packaged app.')
  } else if (requested) {
    if (/^https?:\/\/[^/]+/i.test(requested) && URL.canParse(requested)) devServerUrl = new URL(requested).href
    else warnings.push(`ELECTRON_RENDERER_URL "${requested}" is not an http(s) URL; loading the built renderer.`)
  }

  let backendOverride: BackendPreference | undefined
  const backend = env.GANVAS_BACKEND?.trim()
  if (backend) {
    const parsed = BackendPreference.safeParse(backend)
    if (parsed.success) backendOverride = parsed.data
    else warnings.push(`GANVAS_BACKEND "${backend}" is not one of ${BackendPreference.options.join(', ')}; using the saved setting.`)
  }

  return {
    isDev: !isPackaged,
    devServerUrl,
    preloadPath: join(mainDir, '../preload/index.cjs'),
    rendererIndexPath,
    enginePath: join(mainDir, 'engine.js'),
    iconPath: join(appPath, 'resources/icon.png'),
    origin: {
      rendererIndexUrl: pathToFileURL(rendererIndexPath).href,
      devServerUrl,
      caseInsensitivePaths: platform === 'win32' || platform === 'darwin',
    },
    backendOverride,
    warnings,
  }
}
