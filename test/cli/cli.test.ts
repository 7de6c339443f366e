import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempHome } from '../helpers/temp-home'

let env: NodeJS.ProcessEnv
let cleanup: () => Promise<void>
beforeAll(async () => {
  const temp = await tempHome()
  cleanup = temp.cleanup
  env = { ...process.env, GANVAS_HOME: temp.dir }
  delete env.GANVAS_BACKEND
})
afterAll(() => cleanup())

const ganvas = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, ['bin/ganvas.js', ...args], { env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 120_000 })

describe('ganvas CLI', () => {
  it('prints help with its commands', () => {
    const result = ganvas(['--help'])
    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(/Usage: ganvas/)
    expect(result.stdout).toMatch(/serve/)
    expect(result.stdout).toMatch(/info/)
  })

  it('info reports the backend, device and versions as JSON', () => {
    const result = ganvas(['info', '--json', '--backend', 'wasm'])
    expect(result.status, result.stderr).toBe(0)
    const info = JSON.parse(result.stdout) as { engine: { backend: string; device: string; tfjsVersion: string } }
    expect(info.engine).toMatchObject({ backend: 'wasm', tfjsVersion: '4.22.0' })
    expect(info.engine.device).toMatch(/WebAssembly/)
  })

  it('info in words lists every backend tried with its reason', () => {
    const result = ganvas(['info'], { GANVAS_BACKEND: 'cpu' })
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/Backend\s+cpu/)
    expect(result.stdout).toMatch(/✓ @tensorflow\/tfjs-backend-cpu: active/)
  })

  it('refuses a bad backend with one line that says what to use', () => {
    const flag = ganvas(['info', '--backend', 'gpu'])
    expect(flag.status).not.toBe(0)
    expect(flag.stderr).toMatch(/auto, tensorflow, wasm, cpu/)
    const fromEnv = ganvas(['info'], { GANVAS_BACKEND: 'quantum' })
    expect(fromEnv.status).not.toBe(0)
    expect(fromEnv.stderr.trim().split('\n')).toHaveLength(1)
    expect(fromEnv.stderr).toMatch(/GANVAS_BACKEND="quantum"/)
  })

  it('rejects an unknown command', () => {
    const result = ganvas(['paint'])
    expect(result.status).not.toBe(0)
    expect(result.stderr).toMatch(/unknown command 'paint'/)
  })
})
