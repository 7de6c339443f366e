import { describe, expect, it } from 'vitest'
import { readLaunchConfig, type LaunchFacts } from '../../src/main/launch-config'

const facts: LaunchFacts = {
  env: {},
  isPackaged: true,
  platform: 'linux',
  mainDir: '/opt/Ganvas/resources/app.asar/out/main',
  appPath: '/opt/Ganvas/resources/app.asar',
}

describe('readLaunchConfig', () => {
  it('finds the built files beside out/main', () => {
    const config = readLaunchConfig(facts)
    expect(config.preloadPath).toBe('/opt/Ganvas/resources/app.asar/out/preload/index.cjs')
    expect(config.rendererIndexPath).toBe('/opt/Ganvas/resources/app.asar/out/renderer/index.html')
    expect(config.enginePath).toBe('/opt/Ganvas/resources/app.asar/out/main/engine.js')
    expect(config.iconPath).toBe('/opt/Ganvas/resources/app.asar/resources/icon.png')
    expect(config.origin.rendererIndexUrl).toBe('file:///opt/Ganvas/resources/app.asar/out/renderer/index.html')
    expect(config.isDev).toBe(false)
    expect(config.warnings).toEqual([])
  })

  it('uses the dev server only when not packaged', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173' }
    const dev = readLaunchConfig({ ...facts, env, isPackaged: false })
    expect(dev.devServerUrl).toBe('http://localhost:5173/')
    expect(dev.origin.devServerUrl).toBe('http://localhost:5173/')
    expect(dev.isDev).toBe(true)

    const packaged = readLaunchConfig({ ...facts, env })
    expect(packaged.devServerUrl).toBeNull()
    expect(packaged.origin.devServerUrl).toBeNull()
    expect(packaged.warnings.join()).toMatch(/ignored in a packaged app/)
  })

  it('refuses a dev server URL that is not http(s)', () => {
    for (const url of ['file:///tmp/evil.html', 'javascript:alert(1)', 'localhost:5173']) {
      const config = readLaunchConfig({ ...facts, isPackaged: false, env: { ELECTRON_RENDERER_URL: url } })
      expect(config.devServerUrl).toBeNull()
      expect(config.warnings).toHaveLength(1)
    }
  })

  it('takes a valid GANVAS_BACKEND and reports an invalid one', () => {
    expect(readLaunchConfig({ ...facts, env: { GANVAS_BACKEND: 'wasm' } }).backendOverride).toBe('wasm')
    const bad = readLaunchConfig({ ...facts, env: { GANVAS_BACKEND: 'cuda' } })
    expect(bad.backendOverride).toBeUndefined()
    expect(bad.warnings.join()).toMatch(/GANVAS_BACKEND "cuda"/)
  })

  it('ignores path case on Windows and macOS only', () => {
    expect(readLaunchConfig({ ...facts, platform: 'darwin' }).origin.caseInsensitivePaths).toBe(true)
    expect(readLaunchConfig({ ...facts, platform: 'win32' }).origin.caseInsensitivePaths).toBe(true)
    expect(readLaunchConfig(facts).origin.caseInsensitivePaths).toBe(false)
  })
})
