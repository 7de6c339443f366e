/**
 * electron-builder.yml and the icons, checked without running electron-builder (it downloads
 * Electron): the config must pass electron-builder's own schema, and every icon it names must exist
 * and be well-formed.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const require = createRequire(import.meta.url)

interface BuilderConfig {
  appId?: string
  productName?: string
  npmRebuild?: boolean
  /** getConfig normalises `files` to [{ filter: [...] }]. */
  files?: Array<string | { filter?: string[] }>
  asarUnpack?: string[]
  directories?: { output?: string; buildResources?: string }
  linux?: { icon?: string; target?: string[]; category?: string; maintainer?: string }
  mac?: { icon?: string; category?: string; hardenedRuntime?: boolean }
  win?: { icon?: string }
  nsis?: { oneClick?: boolean; allowToChangeInstallationDirectory?: boolean }
}

async function loadConfig(): Promise<BuilderConfig> {
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config')
  const { DebugLogger } = require('builder-util')
  const config = await getConfig(root, null, null)
  await validateConfiguration(config, new DebugLogger(false)) // throws on unknown or misplaced keys
  return config
}

describe('electron-builder.yml', () => {
  it('passes electron-builder’s schema and says what we agreed', async () => {
    const config = await loadConfig()
    expect(config).toMatchObject({
      appId: 'app.ganvas.studio',
      productName: 'Ganvas',
      npmRebuild: false, // install-app-deps cannot rebuild offline
      directories: { output: 'dist', buildResources: 'resources' },
      linux: { target: ['AppImage', 'deb'], category: 'Graphics' },
      mac: { category: 'public.app-category.graphics-design', hardenedRuntime: true },
      nsis: { oneClick: false, allowToChangeInstallationDirectory: true },
    })
    expect(config.linux?.maintainer).toBeTruthy()
    const files = (config.files ?? []).flatMap((f) => (typeof f === 'string' ? [f] : (f.filter ?? [])))
    expect(files).toEqual(expect.arrayContaining(['out/**', 'package.json', 'resources/icon.png']))
    for (const pattern of ['node_modules/sharp/**', 'node_modules/@img/**', 'node_modules/@tensorflow/tfjs-node/**', 'node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/**']) {
      expect(config.asarUnpack).toContain(pattern)
    }
  })

  it('names icons that exist', async () => {
    const config = await loadConfig()
    for (const icon of [config.linux?.icon, config.mac?.icon, config.win?.icon]) {
      expect(icon && existsSync(join(root, icon)), `${icon} (run: node scripts/make-icon.mjs)`).toBe(true)
    }
  })
})

describe('icons', () => {
  it('icon.png is a 1024×1024 RGBA PNG', async () => {
    const meta = await sharp(join(root, 'resources/icon.png')).metadata()
    expect([meta.format, meta.width, meta.height, meta.hasAlpha]).toEqual(['png', 1024, 1024, true])
  })

  it('icon.ico holds PNG images up to 256 px', async () => {
    const ico = readFileSync(join(root, 'resources/icon.ico'))
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1])
    const count = ico.readUInt16LE(4)
    const sizes: number[] = []
    for (let i = 0; i < count; i++) {
      const entry = 6 + 16 * i
      const [length, offset] = [ico.readUInt32LE(entry + 8), ico.readUInt32LE(entry + 12)]
      const meta = await sharp(ico.subarray(offset, offset + length)).metadata()
      expect(meta.width).toBe(ico.readUInt8(entry) || 256)
      sizes.push(meta.width ?? 0)
    }
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 256]))
  })

  it('icon.icns holds PNG images up to 1024 px, with consistent lengths', async () => {
    const icns = readFileSync(join(root, 'resources/icon.icns'))
    expect(icns.toString('ascii', 0, 4)).toBe('icns')
    expect(icns.readUInt32BE(4)).toBe(icns.length)
    const found = new Map<string, number>()
    for (let at = 8; at < icns.length; ) {
      const [type, length] = [icns.toString('ascii', at, at + 4), icns.readUInt32BE(at + 4)]
      const meta = await sharp(icns.subarray(at + 8, at + length)).metadata()
      found.set(type, meta.width ?? 0)
      at += length
    }
    expect(found.get('ic10')).toBe(1024)
    expect(found.get('ic07')).toBe(128)
    expect(found.get('ic14')).toBe(512)
  })
})
