import { readFile, readdir, writeFile } from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { ensureHome, resolveHome } from '../../src/service/app-home'
import { SettingsStore } from '../../src/service/settings-store'
import { tempHome } from '../helpers/temp-home'

let cleanup = async () => {}
afterEach(() => cleanup())

describe('app home', () => {
  it('GANVAS_HOME wins over Electron userData, which wins over ~/.ganvas', () => {
    expect(resolveHome({ env: { GANVAS_HOME: '/data/g' }, electronUserData: '/u' }).models).toBe('/data/g/models')
    expect(resolveHome({ env: {}, electronUserData: '/u' }).root).toBe('/u')
    expect(resolveHome({ env: {} }).root).toMatch(/\.ganvas$/)
  })
})

describe('SettingsStore', () => {
  it('defaults, saves atomically and reloads', async () => {
    const temp = await tempHome()
    cleanup = temp.cleanup
    await ensureHome(temp.home)
    const store = new SettingsStore(temp.home.settingsFile)
    expect(await store.load()).toEqual({ backend: 'auto' })
    await store.update({ backend: 'wasm' })
    expect(JSON.parse(await readFile(temp.home.settingsFile, 'utf8'))).toEqual({ backend: 'wasm' })
    expect((await readdir(temp.dir)).filter((n) => n.endsWith('.tmp'))).toEqual([])
    expect(await new SettingsStore(temp.home.settingsFile).load()).toEqual({ backend: 'wasm' })
  })

  it('falls back to defaults on a damaged file without overwriting it', async () => {
    const temp = await tempHome()
    cleanup = temp.cleanup
    await ensureHome(temp.home)
    await writeFile(temp.home.settingsFile, '{"backend": "quantum"}')
    const store = new SettingsStore(temp.home.settingsFile)
    expect(await store.load()).toEqual({ backend: 'auto' })
    expect(store.problem).toMatch(/invalid values/)
    expect(await readFile(temp.home.settingsFile, 'utf8')).toBe('{"backend": "quantum"}')
    await expect(store.update({ backend: 'gpu' as never })).rejects.toThrow()
  })
})
