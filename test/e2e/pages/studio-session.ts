/**
 * One studio session for an e2e file: a temp GANVAS_HOME (and, when asked, a temp data folder
 * opened to the session with --root), `ganvas serve` on the wasm backend, Debian's Chromium, and a
 * page watched by a StudioPage for script errors. `useStudioSession` registers the vitest hooks
 * that make it and tear it down; call it at the top of a `describe`:
 *
 *   const session = useStudioSession({ name: 'faces', acceptDownloads: true })
 *   it('…', async () => { await session.studio.goTo('Faces') })
 *
 * Teardown closes the browser, stops serve (and its engine), removes the temp folders, and then
 * fails the file (or, with `pages: 'test'`, the test) if the page logged an error.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest'
import { startServe, type ServeProcess } from './serve-process'
import { StudioPage } from './studio-page'

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run',
]
/** How long the engine may take to start on a slow, shared machine. */
export const ENGINE_READY_MS = 120_000

export interface StudioSessionOptions {
  /** Names the temp folders: ganvas-<name>-home-…, ganvas-<name>-data-…. */
  name: string
  /** Fills the new home before serve starts (a model library, say). */
  prepareHome?: (home: string) => Promise<void>
  /** Makes a second temp folder, fills it, and opens it to the session with `--root`. */
  prepareRoot?: (root: string) => Promise<void>
  /** The page's viewport; 1280 × 900 unless given. */
  viewport?: { width: number; height: number }
  /** Lets the page download files (exports). */
  acceptDownloads?: boolean
  /**
   * 'file' (the default): one page for the whole file, opened once; its errors are checked at the end.
   * 'test': a fresh context and page for each test, its errors checked after the test.
   * 'none': no browser, only serve (for HTTP and WebSocket tests).
   */
  pages?: 'file' | 'test' | 'none'
}

export interface StudioSession {
  readonly home: string
  /** The `--root` folder made by `prepareRoot`; '' without one. */
  readonly root: string
  readonly server: ServeProcess
  readonly page: Page
  readonly studio: StudioPage
}

export function useStudioSession(options: StudioSessionOptions): StudioSession {
  const pages = options.pages ?? 'file'
  let home = ''
  let root = ''
  let server: ServeProcess | undefined
  let browser: Browser | undefined
  let context: BrowserContext | undefined
  let page: Page | undefined
  let studio: StudioPage | undefined

  async function openPage(): Promise<void> {
    context = await browser!.newContext({
      viewport: options.viewport ?? { width: 1280, height: 900 },
      ...(options.acceptDownloads ? { acceptDownloads: true } : {}),
    })
    page = await context.newPage()
    studio = new StudioPage(page)
    await studio.open(server!.url)
  }

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), `ganvas-${options.name}-home-`))
    await options.prepareHome?.(home)
    if (options.prepareRoot) {
      root = await mkdtemp(join(tmpdir(), `ganvas-${options.name}-data-`))
      await options.prepareRoot(root)
    }
    server = await startServe({ home, args: ['--backend', 'wasm', ...(root ? ['--root', root] : [])], timeoutMs: 120_000 })
    if (pages === 'none') return
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
    if (pages === 'file') await openPage()
  }, 180_000)

  afterAll(async () => {
    await browser?.close().catch(() => {})
    await server?.stop()
    for (const dir of [home, root]) if (dir) await rm(dir, { recursive: true, force: true })
    if (pages === 'file') expect(studio?.errors ?? [], 'errors in the page').toEqual([])
  }, 60_000)

  if (pages === 'test') {
    beforeEach(openPage, 60_000)
    afterEach(async () => {
      await context?.close()
      expect(studio!.errors, 'errors in the page').toEqual([])
    })
  }

  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the session's ${what} is not there yet: use it in a test or a hook`)
    return value
  }
  return {
    get home() {
      return ready(home || undefined, 'home')
    },
    get root() {
      return root
    },
    get server() {
      return ready(server, 'server')
    },
    get page() {
      return ready(page, 'page')
    },
    get studio() {
      return ready(studio, 'studio page')
    },
  }
}
