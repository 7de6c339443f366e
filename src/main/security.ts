/**
 * Hardening applied to every web contents and to the session: no navigation away from the app,
 * no new windows or webviews, no permissions beyond the one we use, the CSP as a header on the
 * dev server, and the sender check every IPC call goes through. The rules live in trust.ts.
 */
import { BrowserWindow, app, session, shell, webContents, type Session, type WebContents, type WebFrameMain } from 'electron'
import { CONTENT_SECURITY_POLICY_HEADER } from '../shared/csp'
import { isAppUrl, isOpenableExternally, isPermissionAllowed, isTrustedFrame, type AppOrigin } from './trust'

/** Installs every guard; call once, after `app` is ready and before the first window. */
export function hardenApp(origin: AppOrigin): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, origin))
  hardenSession(session.defaultSession, origin)
}

export function guardWebContents(contents: WebContents, origin: AppOrigin): void {
  // The page never leaves the app: links and redirects elsewhere are refused, not followed.
  const stayInApp = (event: { url: string; preventDefault(): void }) => {
    if (!isAppUrl(event.url, origin)) {
      event.preventDefault()
      console.warn(`[security] blocked navigation to ${event.url}`)
    }
  }
  contents.on('will-navigate', stayInApp)
  contents.on('will-redirect', stayInApp)

  // No window.open / target=_blank windows; https links go to the system browser instead.
  contents.setWindowOpenHandler(({ url }) => {
    if (isOpenableExternally(url)) void shell.openExternal(url).catch(() => {})
    else console.warn(`[security] refused to open ${url}`)
    return { action: 'deny' }
  })

  // webviewTag is off, but refuse here too in case a webview is ever attached another way.
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

export function hardenSession(target: Session, origin: AppOrigin): void {
  target.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl, origin))
  })
  target.setPermissionCheckHandler((_contents, permission, _requestingOrigin, details) =>
    isPermissionAllowed(permission, details.requestingUrl, origin),
  )
  // USB, HID, serial and bluetooth devices: never.
  target.setDevicePermissionHandler(() => false)

  // file:// pages get the CSP from the <meta> injected at build; pages from the dev server also get it
  // as a header, which the page cannot remove.
  const devServerUrl = origin.devServerUrl
  if (devServerUrl) {
    target.webRequest.onHeadersReceived((details, callback) => {
      if (!isAppUrl(details.url, origin)) return callback({})
      const responseHeaders = { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY_HEADER] }
      callback({ responseHeaders })
    })
  }
}

/** True when the frame is the top frame of one of our BrowserWindows (not devtools, not a nested page). */
function isOurWindowFrame(frame: WebFrameMain): boolean {
  const contents = webContents.fromFrame(frame)
  if (!contents || contents.isDestroyed()) return false
  const window = BrowserWindow.fromWebContents(contents)
  const top = contents.mainFrame
  // Compared by ids: a parentless frame is not always the top one (e.g. a fenced frame).
  return window !== null && !window.isDestroyed() && top.processId === frame.processId && top.routingId === frame.routingId
}

/** Every IPC call is checked here: main frame of one of our windows, showing our own page. */
export function isTrustedSender(frame: WebFrameMain | null, origin: AppOrigin): boolean {
  if (!frame) return false
  try {
    return isTrustedFrame({ url: frame.url, parent: frame.parent, detached: frame.detached }, isOurWindowFrame(frame), origin)
  } catch {
    return false // a frame disposed while the call was in flight throws on access
  }
}
