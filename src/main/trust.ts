/**
 * Pure decisions behind the window's security: which URLs are the app itself, which links may go
 * to the system browser, which frames may call the host, which permissions a page gets.
 * No Electron imports, so every rule is unit-tested with hostile inputs (test/electron).
 */

/** Where the app's own page lives: the built index.html, or the dev server during `electron-vite dev`. */
export interface AppOrigin {
  /** file:// URL of out/renderer/index.html. */
  rendererIndexUrl: string
  /** http(s) origin of the dev server; null in a packaged app. */
  devServerUrl: string | null
  /** Windows and macOS file systems ignore case, and Chromium may report a path's case differently. */
  caseInsensitivePaths: boolean
}

function parse(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}

function decodedPath(url: URL, caseInsensitive: boolean): string | null {
  try {
    const path = decodeURIComponent(url.pathname)
    return caseInsensitive ? path.toLowerCase() : path
  } catch {
    return null
  }
}

/** True only for our renderer's index.html (any #hash or ?query) or a page on the dev server's exact origin. */
export function isAppUrl(url: string, origin: AppOrigin): boolean {
  const candidate = parse(url)
  if (!candidate) return false
  if (candidate.protocol === 'file:') {
    const index = parse(origin.rendererIndexUrl)
    if (!index || index.protocol !== 'file:' || candidate.host !== index.host) return false
    const path = decodedPath(candidate, origin.caseInsensitivePaths)
    return path !== null && path === decodedPath(index, origin.caseInsensitivePaths)
  }
  if (origin.devServerUrl && (candidate.protocol === 'http:' || candidate.protocol === 'https:')) {
    const dev = parse(origin.devServerUrl)
    // `origin` is scheme + host + port, so lookalikes (localhost:5173.evil.com, user@host) differ.
    return dev !== null && candidate.origin === dev.origin && candidate.username === '' && candidate.password === ''
  }
  return false
}

/** Links the user clicks may open in the system browser only over https (no file:, smb:, custom schemes). */
export function isOpenableExternally(url: string): boolean {
  const candidate = parse(url)
  return candidate !== null && candidate.protocol === 'https:' && candidate.username === '' && candidate.password === ''
}

/** What isTrustedFrame needs to know about a WebFrameMain. */
export interface FrameFacts {
  url: string
  /** Null for a main frame. */
  parent: unknown
  /** A frame that navigated away or was removed. */
  detached: boolean
}

/**
 * A call is trusted when it comes from the main frame of one of our windows and that frame shows
 * our own page. Subframes, other web contents (devtools, a stray window) and other URLs are refused.
 */
export function isTrustedFrame(frame: FrameFacts | null, inOurWindow: boolean, origin: AppOrigin): boolean {
  if (!frame || frame.detached || frame.parent !== null || !inOurWindow) return false
  return isAppUrl(frame.url, origin)
}

/** Permissions the studio uses; everything else (camera, geolocation, notifications, HID…) is denied. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set([
  // Copying a generated image or text to the clipboard (write only, sanitized by Chromium).
  'clipboard-sanitized-write',
])

export function isPermissionAllowed(permission: string, requestingUrl: string | undefined, origin: AppOrigin): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && requestingUrl !== undefined && isAppUrl(requestingUrl, origin)
}
