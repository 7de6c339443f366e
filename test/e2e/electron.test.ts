/**
 * The real Electron app, driven by Playwright: runs where the Electron binary exists (a developer
 * machine after `npx install-electron`), and says plainly that it skipped where it cannot be
 * downloaded (our CI). Needs `npm run build` first (npm test does it).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { _electron, type ElectronApplication, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GanvasBridge } from '../../src/shared/contract'
import { SECTION_LABELS, StudioPage } from './pages/studio-page'

/** The page's globals as seen from a Node-typed test (no DOM lib here). */
type PageGlobals = {
  ganvas?: GanvasBridge
  require?: unknown
  process?: unknown
  open(url: string, target: string): unknown
  location: { href: string }
}

const root = resolve(import.meta.dirname, '../..')
const ENGINE_READY_MS = 120_000

/**
 * Path of the Electron executable, found on disk. Never `require('electron')`: its index downloads
 * the binary when it is missing, which fails (slowly) without internet.
 */
function electronBinary(): string | null {
  const dir = join(root, 'node_modules/electron')
  if (!existsSync(join(dir, 'dist'))) return null
  const pathFile = join(dir, 'path.txt')
  const fallback = { darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' }[process.platform as string] ?? 'electron'
  const binary = join(dir, 'dist', existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : fallback)
  return existsSync(binary) ? binary : null
}

const binary = electronBinary()
if (!binary) console.log('Electron binary not present (cannot be downloaded here): skipped')

describe.skipIf(!binary)('Electron app', () => {
  let app: ElectronApplication
  let page: Page
  let studio: StudioPage
  let home: string

  beforeAll(async () => {
    if (!existsSync(join(root, 'out/main/index.js'))) throw new Error('out/main/index.js is missing: run `npm run build` first')
    home = mkdtempSync(join(tmpdir(), 'ganvas-e2e-'))
    const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined))
    delete env.ELECTRON_RENDERER_URL // the built renderer, not a dev server
    app = await _electron.launch({
      executablePath: binary!,
      // The project folder, not out/main/index.js: app.getAppPath() is then the folder holding
      // package.json and resources/, as it is inside the packaged app.asar.
      args: [root],
      cwd: root,
      env: { ...env, GANVAS_HOME: home, GANVAS_BACKEND: 'wasm' }, // a fresh home; wasm runs everywhere
      timeout: 60_000,
    })
    page = await app.firstWindow()
    studio = new StudioPage(page) // collects page errors, CSP violations included
    await studio.navLink('Sketch').waitFor({ timeout: 30_000 })
  })

  afterAll(async () => {
    await app?.close()
    if (home) rmSync(home, { recursive: true, force: true })
  })

  it('opens one window titled Ganvas', async () => {
    expect(app.windows()).toHaveLength(1)
    expect(await page.title()).toMatch(/^Ganvas/)
    const title = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle())
    expect(title).toMatch(/^Ganvas/)
  })

  it('shows the five sections in the navigation, and each one opens', async () => {
    for (const label of SECTION_LABELS) await studio.goTo(label)
  })

  it('shows the engine backend it is running on, from the utility process', async () => {
    await studio.waitForEngineReady(ENGINE_READY_MS)
    await expect(studio.backend.innerText()).resolves.toMatch(/^wasm/)
    const status = await page.evaluate(() => (globalThis as unknown as PageGlobals).ganvas?.call('engine.status', {}))
    expect(status).toMatchObject({ ok: true, output: { state: 'ready', backend: 'wasm', pid: expect.any(Number) } })
  })

  it('gives the page the contract and nothing else: no Node, no ipcRenderer', async () => {
    const globals = await page.evaluate(() => {
      const page = globalThis as unknown as PageGlobals
      return { bridge: Object.keys(page.ganvas ?? {}).sort(), require: typeof page.require, process: typeof page.process }
    })
    expect(globals).toEqual({ bridge: ['call', 'onEvent'], require: 'undefined', process: 'undefined' })
    const info = await page.evaluate(() => (globalThis as unknown as PageGlobals).ganvas?.call('app.info', {}))
    expect(info).toMatchObject({ ok: true, output: { transport: 'electron', home } })
  })

  it('refuses to navigate away or open windows', async () => {
    await page.evaluate(() => {
      const page = globalThis as unknown as PageGlobals
      // http, not https: an https link would (rightly) open in the system browser during the test.
      page.open('http://example.com/', '_blank')
      page.location.href = 'http://example.com/'
    })
    await page.waitForTimeout(500)
    expect(app.windows()).toHaveLength(1)
    expect(page.url()).toMatch(/^file:.*\/out\/renderer\/index\.html/)
  })

  it('ran without a script error or CSP violation in the page', () => {
    expect(studio.errors).toEqual([])
  })
})
