import { beforeEach, describe, expect, it, vi } from 'vitest'
import { CONTENT_SECURITY_POLICY_HEADER } from '../../src/shared/csp'
import type { AppOrigin } from '../../src/main/trust'

// Just enough of Electron to drive the guards: handlers are captured and called as Electron would.
const electron = vi.hoisted(() => {
  const openExternal = vi.fn(() => Promise.resolve())
  const windowOf = new Map<unknown, { isDestroyed(): boolean }>()
  const contentsOf = new Map<unknown, unknown>()
  return {
    openExternal,
    windowOf,
    contentsOf,
    module: {
      app: { on: vi.fn() },
      session: { defaultSession: {} },
      shell: { openExternal },
      webContents: { fromFrame: (frame: unknown) => contentsOf.get(frame) },
      BrowserWindow: { fromWebContents: (contents: unknown) => windowOf.get(contents) ?? null },
    },
  }
})
vi.mock('electron', () => electron.module)

const { guardWebContents, hardenSession, isTrustedSender } = await import('../../src/main/security')

const INDEX = 'file:///app/out/renderer/index.html'
const origin: AppOrigin = { rendererIndexUrl: INDEX, devServerUrl: null, caseInsensitivePaths: false }

type Listener = (...args: any[]) => any
function fakeContents() {
  const listeners = new Map<string, Listener>()
  let openHandler: Listener = () => ({ action: 'allow' })
  return {
    listeners,
    open: (url: string) => openHandler({ url }),
    on: (event: string, listener: Listener) => listeners.set(event, listener),
    setWindowOpenHandler: (handler: Listener) => (openHandler = handler),
  }
}
function fire(contents: ReturnType<typeof fakeContents>, event: string, url = '') {
  const e = { url, preventDefault: vi.fn() }
  contents.listeners.get(event)?.(e)
  return e.preventDefault.mock.calls.length > 0
}

beforeEach(() => {
  electron.openExternal.mockClear()
  vi.spyOn(console, 'warn').mockImplementation(() => {})
})

describe('guardWebContents', () => {
  const contents = fakeContents()
  guardWebContents(contents as never, origin)

  it('blocks navigation and redirects away from the app', () => {
    for (const event of ['will-navigate', 'will-redirect']) {
      expect(fire(contents, event, 'https://evil.example/')).toBe(true)
      expect(fire(contents, event, 'file:///etc/passwd')).toBe(true)
      expect(fire(contents, event, `${INDEX}#/faces`)).toBe(false)
    }
  })

  it('never opens a window; https links go to the system browser, nothing else does', () => {
    expect(contents.open('https://ganvas.app/docs')).toEqual({ action: 'deny' })
    expect(electron.openExternal).toHaveBeenCalledWith('https://ganvas.app/docs')
    for (const url of ['http://ganvas.app/', 'file:///etc/passwd', 'smb://host/share', INDEX]) {
      expect(contents.open(url)).toEqual({ action: 'deny' })
    }
    expect(electron.openExternal).toHaveBeenCalledTimes(1)
  })

  it('refuses to attach webviews', () => {
    expect(fire(contents, 'will-attach-webview')).toBe(true)
  })
})

describe('hardenSession', () => {
  function fakeSession() {
    const s = {
      request: undefined as Listener | undefined,
      check: undefined as Listener | undefined,
      device: undefined as Listener | undefined,
      headers: undefined as Listener | undefined,
      setPermissionRequestHandler: (h: Listener) => (s.request = h),
      setPermissionCheckHandler: (h: Listener) => (s.check = h),
      setDevicePermissionHandler: (h: Listener) => (s.device = h),
      webRequest: { onHeadersReceived: (h: Listener) => (s.headers = h) },
    }
    return s
  }

  it('grants clipboard writes to our page and nothing else', () => {
    const s = fakeSession()
    hardenSession(s as never, origin)
    const ask = (permission: string, requestingUrl: string) => {
      let granted: boolean | undefined
      s.request?.(null, permission, (ok: boolean) => (granted = ok), { requestingUrl, isMainFrame: true })
      return granted
    }
    expect(ask('clipboard-sanitized-write', INDEX)).toBe(true)
    expect(ask('media', INDEX)).toBe(false)
    expect(ask('clipboard-sanitized-write', 'https://evil.example/')).toBe(false)
    expect(s.check?.(null, 'geolocation', 'file:///', { requestingUrl: INDEX, isMainFrame: true })).toBe(false)
    expect(s.check?.(null, 'clipboard-sanitized-write', 'file:///', { requestingUrl: INDEX, isMainFrame: true })).toBe(true)
    expect(s.device?.()).toBe(false)
    expect(s.headers).toBeUndefined() // no dev server: the CSP comes from the built page's <meta>
  })

  it('adds the CSP header to dev-server responses only', () => {
    const s = fakeSession()
    hardenSession(s as never, { ...origin, devServerUrl: 'http://localhost:5173/' })
    const respond = (url: string) => {
      let response: unknown
      s.headers?.({ url, responseHeaders: { 'X-Other': ['1'] } }, (r: unknown) => (response = r))
      return response
    }
    expect(respond('http://localhost:5173/')).toEqual({
      responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY_HEADER] },
    })
    expect(respond('https://elsewhere.example/')).toEqual({})
  })
})

describe('isTrustedSender', () => {
  function frame(url: string, options: { parent?: unknown; routingId?: number } = {}) {
    return { url, parent: options.parent ?? null, detached: false, processId: 1, routingId: options.routingId ?? 7 }
  }
  function inWindow(f: ReturnType<typeof frame>, top = f) {
    const contents = { isDestroyed: () => false, mainFrame: top }
    electron.contentsOf.set(f, contents)
    electron.windowOf.set(contents, { isDestroyed: () => false })
    return f
  }

  it('trusts the top frame of our window on our page', () => {
    expect(isTrustedSender(inWindow(frame(INDEX)) as never, origin)).toBe(true)
  })

  it('refuses other pages, subframes, frames outside our windows, and missing frames', () => {
    expect(isTrustedSender(inWindow(frame('https://evil.example/')) as never, origin)).toBe(false)
    const top = frame(INDEX)
    expect(isTrustedSender(inWindow(frame(INDEX, { parent: top, routingId: 8 }), top) as never, origin)).toBe(false)
    expect(isTrustedSender(inWindow(frame(INDEX, { routingId: 9 }), top) as never, origin)).toBe(false) // parentless but not the top
    expect(isTrustedSender(frame(INDEX) as never, origin)).toBe(false) // e.g. devtools: no BrowserWindow
    expect(isTrustedSender(null, origin)).toBe(false)
  })

  it('refuses a frame that throws when read (disposed mid-call)', () => {
    const disposed = inWindow(frame(INDEX))
    Object.defineProperty(disposed, 'url', { get: () => { throw new Error('Render frame was disposed') } })
    expect(isTrustedSender(disposed as never, origin)).toBe(false)
  })
})
