import { describe, expect, it } from 'vitest'
import { isAppUrl, isOpenableExternally, isPermissionAllowed, isTrustedFrame, type AppOrigin } from '../../src/main/trust'

const INDEX = 'file:///opt/Ganvas/resources/app.asar/out/renderer/index.html'
const packaged: AppOrigin = { rendererIndexUrl: INDEX, devServerUrl: null, caseInsensitivePaths: false }
const dev: AppOrigin = { ...packaged, devServerUrl: 'http://localhost:5173/' }

describe('isAppUrl', () => {
  it.each([
    INDEX,
    `${INDEX}#/train`,
    `${INDEX}?section=faces`,
    'file:///opt/Ganvas/resources/app.asar/out/renderer/../renderer/index.html', // normalised by URL
  ])('accepts our renderer page %s', (url) => expect(isAppUrl(url, packaged)).toBe(true))

  it.each([
    'file:///opt/Ganvas/resources/app.asar/out/renderer/other.html',
    'file:///etc/passwd',
    'file:///home/user/Downloads/index.html',
    'file://evil-host/opt/Ganvas/resources/app.asar/out/renderer/index.html', // UNC-style host
    'http://localhost:5173/', // no dev server in a packaged app
    'https://evil.example/index.html',
    'data:text/html,<script>alert(1)</script>',
    'about:blank',
    'javascript:alert(1)',
    'blob:file:///1234',
    'devtools://devtools/bundled/inspector.html',
    'chrome-error://chromewebdata/',
    '',
    'not a url',
  ])('refuses %s', (url) => expect(isAppUrl(url, packaged)).toBe(false))

  it('accepts any page on the dev server origin, in development only', () => {
    expect(isAppUrl('http://localhost:5173/', dev)).toBe(true)
    expect(isAppUrl('http://localhost:5173/src/main.ts?t=1', dev)).toBe(true)
    expect(isAppUrl(INDEX, dev)).toBe(true)
  })

  it.each([
    'http://localhost:5173.evil.com/',
    'http://localhost.evil.com:5173/',
    'http://localhost:5174/',
    'https://localhost:5173/', // another scheme is another origin
    'http://127.0.0.1:5173/', // the same machine, but not the origin we loaded
    'http://localhost:5173@evil.com/',
    'http://user:pass@localhost:5173/',
    'ws://localhost:5173/',
    'http://evil.com/?http://localhost:5173/',
    'http://evil.com/#http://localhost:5173/',
  ])('refuses dev-server lookalike %s', (url) => expect(isAppUrl(url, dev)).toBe(false))

  it('compares file paths ignoring case only where the file system does', () => {
    const upper = INDEX.replace('Ganvas', 'GANVAS')
    expect(isAppUrl(upper, packaged)).toBe(false)
    expect(isAppUrl(upper, { ...packaged, caseInsensitivePaths: true })).toBe(true)
  })

  it('matches percent-encoded paths (spaces in the install folder)', () => {
    const spaced: AppOrigin = { ...packaged, rendererIndexUrl: 'file:///C:/Program%20Files/Ganvas/out/renderer/index.html' }
    expect(isAppUrl('file:///C:/Program Files/Ganvas/out/renderer/index.html', spaced)).toBe(true)
    expect(isAppUrl('file:///C:/Program%20Files/Ganvas/out/renderer/index.html#x', spaced)).toBe(true)
    expect(isAppUrl('file:///C:/Program%ZZFiles/Ganvas/out/renderer/index.html', spaced)).toBe(false)
  })
})

describe('isOpenableExternally', () => {
  it.each(['https://ganvas.app/docs', 'https://github.com/junyanz/pytorch-CycleGAN-and-pix2pix'])('opens %s', (url) =>
    expect(isOpenableExternally(url)).toBe(true),
  )
  it.each([
    'http://ganvas.app/', // plain http could be tampered with on the way
    'file:///etc/passwd',
    'smb://server/share',
    'javascript:alert(1)',
    'ms-settings:privacy',
    'https://user:pass@evil.com/',
    'not a url',
  ])('refuses %s', (url) => expect(isOpenableExternally(url)).toBe(false))
})

describe('isTrustedFrame', () => {
  const top = { url: INDEX, parent: null, detached: false }
  it('trusts the top frame of our window showing our page', () => {
    expect(isTrustedFrame(top, true, packaged)).toBe(true)
  })
  it('refuses a missing, detached, nested or foreign frame, or another page', () => {
    expect(isTrustedFrame(null, true, packaged)).toBe(false)
    expect(isTrustedFrame({ ...top, detached: true }, true, packaged)).toBe(false)
    expect(isTrustedFrame({ ...top, parent: {} }, true, packaged)).toBe(false)
    expect(isTrustedFrame(top, false, packaged)).toBe(false) // e.g. devtools or a window we did not make
    expect(isTrustedFrame({ ...top, url: 'https://evil.example/' }, true, packaged)).toBe(false)
    expect(isTrustedFrame({ ...top, url: 'about:blank' }, true, packaged)).toBe(false)
  })
})

describe('isPermissionAllowed', () => {
  it('grants only clipboard writes, and only to our page', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', INDEX, packaged)).toBe(true)
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example/', packaged)).toBe(false)
    expect(isPermissionAllowed('clipboard-sanitized-write', undefined, packaged)).toBe(false)
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'hid', 'fullscreen']) {
      expect(isPermissionAllowed(permission, INDEX, packaged)).toBe(false)
    }
  })
})
