/**
 * `ganvas train dcgan` as the issue spells it: --data, --out, --size, --steps, --batch, --loss,
 * --z, --augment, --from, --resume, --backend, --json; and its bad-flag messages.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readManifest } from '../../src/engine/storage/model-folder'
import { writeUnpairedDomains } from '../helpers/synthetic-images'
import { tempDir } from '../helpers/train-harness'

let root: { dir: string; cleanup(): Promise<void> }
let env: NodeJS.ProcessEnv
const at = (...parts: string[]) => join(root.dir, ...parts)
type Line = { event: string; [key: string]: unknown }

beforeAll(async () => {
  root = await tempDir('ganvas-train-dcgan-cli-')
  await writeUnpairedDomains(at('faces'), { count: 8, size: 32, seed: 9 })
  env = { ...process.env, GANVAS_HOME: at('home') }
  delete env.GANVAS_BACKEND
})
afterAll(() => root.cleanup())

const ganvas = (args: string[]) => spawnSync(process.execPath, ['bin/ganvas.js', ...args], { env, encoding: 'utf8', timeout: 120_000 })
const lines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Line)
const small = ['--size', '32', '--batch', '4', '--z', '16', '--ngf', '4', '--ndf', '4', '--backend', 'wasm', '--json']

describe('ganvas train dcgan', () => {
  it('trains, continues with --resume, and fine-tunes with --from', () => {
    const first = ganvas(['train', 'dcgan', '--data', at('faces'), '--out', at('model'), '--steps', '2', '--loss', 'hinge', '--augment', ...small])
    expect(first.status, first.stderr).toBe(0)
    const out = lines(first.stdout)
    expect(out.find((l) => l.event === 'info' && String(l.message).includes('16 training images in 2 classes'))).toBeDefined()
    expect(out.filter((l) => l.event === 'progress').map((l) => Object.keys(l.losses as object))).toEqual([
      ['G', 'D_real', 'D_fake'],
      ['G', 'D_real', 'D_fake'],
    ])
    expect(out.at(-1)).toMatchObject({ event: 'done', steps: 2, stopped: false })

    const tuned = ganvas(['train', 'dcgan', '--data', at('faces'), '--out', at('tuned'), '--from', at('model'), '--steps', '1', '--loss', 'wgan-gp', ...small])
    expect(tuned.status, tuned.stderr).toBe(0)
    expect(lines(tuned.stdout).at(-1)).toMatchObject({ event: 'done', steps: 1 })
    const resumed = ganvas(['train', 'dcgan', '--data', at('faces'), '--out', at('model'), '--resume', '--backend', 'wasm', '--json'])
    expect(resumed.status).not.toBe(0)
    expect(resumed.stderr).toMatch(/already finished its 2 steps/)
  }, 120_000)

  it('records the options in the manifest', async () => {
    const manifest = await readManifest(at('model'))
    expect(manifest.training).toMatchObject({ family: 'dcgan', loss: 'hinge', z: 16, augment: ['color', 'translation', 'cutout'], classes: ['trainA', 'trainB'] })
    expect((await readManifest(at('tuned'))).training).toMatchObject({ loss: 'wgan-gp', from: at('model') })
  })

  it('explains bad flags in one line', () => {
    const cases: [string[], RegExp][] = [
      [['--loss', 'lsgan'], /--loss.*Allowed choices are bce, wgan-gp, hinge/],
      [['--size', '48'], /--size: must be a power of two/],
      [['--z', 'many'], /--z takes a whole number/],
      [['--ema', '1.5'], /--ema/],
    ]
    for (const [flags, message] of cases) {
      const r = ganvas(['train', 'dcgan', '--data', at('faces'), '--out', at('bad'), '--steps', '1', ...flags])
      expect(r.status).not.toBe(0)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).toMatch(message)
    }
  }, 60_000)
})
