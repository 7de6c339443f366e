/**
 * `ganvas train` end to end, as a script drives it: `--json` lines at 32 px on wasm, Ctrl+C
 * (SIGINT) stopping gracefully with a checkpoint, `--resume` finishing the run, and bad flags
 * failing with a non-zero exit and exactly one line on stderr.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writePairedShapes } from '../helpers/synthetic-images'
import { hashTree, tempDir } from '../helpers/train-harness'

let root: { dir: string; cleanup(): Promise<void> }
let data: string
let dataBefore: Record<string, string>
let env: NodeJS.ProcessEnv
type Line = { event: string; [key: string]: unknown }
let resumedLines: Line[] = []

beforeAll(async () => {
  root = await tempDir('ganvas-train-cli-')
  data = join(root.dir, 'pairs')
  await writePairedShapes(data, { count: 6, size: 32, layout: 'aligned', seed: 4 })
  dataBefore = await hashTree(data)
  env = { ...process.env, GANVAS_HOME: join(root.dir, 'home') }
  delete env.GANVAS_BACKEND
})
afterAll(async () => {
  expect(await hashTree(data)).toEqual(dataBefore) // nothing the user owns is modified
  await root.cleanup()
})

const small = ['--size', '32', '--ngf', '8', '--ndf', '8', '--backend', 'wasm', '--json']

const ganvas = (args: string[]) =>
  spawnSync(process.execPath, ['bin/ganvas.js', ...args], { env, encoding: 'utf8', timeout: 120_000 })

const parseLines = (stdout: string): Line[] =>
  stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      try {
        return JSON.parse(l) as Line
      } catch {
        throw new Error(`stdout line is not JSON: ${l}`)
      }
    })

const stderrLines = (stderr: string) => stderr.split('\n').filter((l) => l.trim() !== '')

describe('ganvas train pix2pix --json', () => {
  it(
    'prints one JSON object per line: progress with losses and speed, a sample, done last',
    async () => {
      const out = join(root.dir, 'model-json')
      const result = ganvas(['train', 'pix2pix', '--data', data, '--out', out, '--steps', '20', '--sample-every', '10', ...small])
      expect(result.status, result.stderr).toBe(0)
      expect(result.stderr).toBe('')
      const lines = parseLines(result.stdout)

      const progress = lines.filter((l) => l.event === 'progress')
      expect(progress.map((p) => p.step)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
      for (const p of progress) {
        expect(p.total).toBe(20)
        expect(typeof p.imagesPerSec).toBe('number')
        expect(p.imagesPerSec as number).toBeGreaterThan(0)
        const losses = p.losses as Record<string, number>
        expect(Object.keys(losses).sort()).toEqual(['D_fake', 'D_real', 'G_GAN', 'G_L1'])
        for (const v of Object.values(losses)) expect(Number.isFinite(v)).toBe(true)
      }

      const samples = lines.filter((l) => l.event === 'sample')
      expect(samples.map((s) => s.step)).toEqual([10, 20])
      for (const s of samples) expect(s.path).toMatch(/samples[\\/]step-0000[12]0\.png$/)
      expect((await readdir(join(out, 'samples'))).sort()).toEqual(['step-000010.png', 'step-000020.png'])

      expect(lines.at(-1)).toMatchObject({ event: 'done', model: out, steps: 20, stopped: false })
      expect(lines.filter((l) => l.event === 'done')).toHaveLength(1)
      // Before training: the backend, and how much data there is.
      const infos = lines.filter((l) => l.event === 'info').map((l) => l.message as string)
      expect(infos.some((m) => /wasm/i.test(m))).toBe(true)
      expect(infos.some((m) => /6 training pairs/.test(m))).toBe(true)
    },
    120_000,
  )

  it(
    'stops gracefully on SIGINT with a checkpoint, and --resume runs it to the end',
    async () => {
      const out = join(root.dir, 'model-interrupted')
      const args = ['train', 'pix2pix', '--data', data, '--out', out, '--steps', '40', '--sample-every', '1000', ...small]
      const child = spawn(process.execPath, ['bin/ganvas.js', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
      let stdout = ''
      let stderr = ''
      let interrupted = false
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk
        if (!interrupted && (stdout.match(/"event":"progress"/g) ?? []).length >= 3) {
          interrupted = true
          child.kill('SIGINT')
        }
      })
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)))
      expect(interrupted, `never saw 3 progress lines; stderr: ${stderr}`).toBe(true)
      expect(code, stderr).toBe(0)
      const lines = parseLines(stdout)
      const done = lines.at(-1)!
      expect(done).toMatchObject({ event: 'done', model: out, stopped: true })
      const stoppedAt = done.steps as number
      expect(stoppedAt).toBeGreaterThanOrEqual(3)
      expect(stoppedAt).toBeLessThan(40)
      expect(lines.filter((l) => l.event === 'progress').at(-1)!.step).toBe(stoppedAt)
      expect(lines.some((l) => l.event === 'info' && /Stopping after this step/.test(l.message as string))).toBe(true)
      expect(await readdir(join(out, 'checkpoints'))).toContain(`step-${String(stoppedAt).padStart(6, '0')}`)

      // Starting it again without --resume is refused, and says to use --resume.
      const again = ganvas(args)
      expect(again.status).not.toBe(0)
      expect(stderrLines(again.stderr)).toHaveLength(1)
      expect(again.stderr).toMatch(/--resume/)

      // --resume takes the step count (and every other option) from the checkpoint.
      const resumed = ganvas(['train', 'pix2pix', '--data', data, '--out', out, '--resume', '--backend', 'wasm', '--json'])
      expect(resumed.status, resumed.stderr).toBe(0)
      const rest = parseLines(resumed.stdout)
      resumedLines = rest
      const progress = rest.filter((l) => l.event === 'progress' && Object.keys(l.losses as object).length > 0)
      expect(progress[0]!.step).toBe(stoppedAt + 1)
      expect(progress.map((p) => p.step)).toEqual(Array.from({ length: 40 - stoppedAt }, (_, i) => stoppedAt + 1 + i))
      expect(progress.at(-1)).toMatchObject({ step: 40, total: 40 })
      expect(rest.at(-1)).toMatchObject({ event: 'done', model: out, steps: 40, stopped: false })

      // A finished run cannot be resumed again: one line that says so.
      const twice = ganvas(['train', 'pix2pix', '--data', data, '--out', out, '--resume', '--backend', 'wasm', '--json'])
      expect(twice.status).not.toBe(0)
      expect(stderrLines(twice.stderr)).toHaveLength(1)
      expect(twice.stderr).toMatch(/already finished its 40 steps/)
    },
    180_000,
  )
  it('a resumed run reports its data as an info line, and every progress line has losses', () => {
    expect(resumedLines.length).toBeGreaterThan(0)
    for (const line of resumedLines.filter((l) => l.event === 'progress')) expect(Object.keys(line.losses as object).length, JSON.stringify(line)).toBeGreaterThan(0)
    expect(resumedLines.some((l) => l.event === 'info' && /6 training pairs/.test(l.message as string))).toBe(true)
  })
})

describe('ganvas train: bad flags and data fail with one line on stderr', () => {
  const cases: { name: string; args: () => string[]; message: RegExp }[] = [
    { name: '--size 33', args: () => ['--data', data, '--out', join(root.dir, 'x1'), '--steps', '5', '--size', '33'], message: /--size: must be a power of two/ },
    { name: 'no --steps or --epochs', args: () => ['--data', data, '--out', join(root.dir, 'x2')], message: /--steps N or --epochs N/ },
    { name: 'a non-numeric --steps', args: () => ['--data', data, '--out', join(root.dir, 'x3'), '--steps', 'many'], message: /--steps takes a whole number/ },
    { name: 'an empty data folder', args: () => ['--data', join(root.dir, 'empty'), '--out', join(root.dir, 'x4'), '--steps', '5', '--size', '32'], message: /has no images\. Put side-by-side A\|B images/ },
  ]
  beforeAll(() => mkdir(join(root.dir, 'empty'), { recursive: true }))

  it.each(cases)('$name', ({ args, message }) => {
    const result = ganvas(['train', 'pix2pix', ...args(), '--backend', 'wasm', '--json'])
    expect(result.status).not.toBe(0)
    expect(stderrLines(result.stderr), result.stderr).toHaveLength(1)
    expect(result.stderr).toMatch(message)
    expect(result.stdout).not.toMatch(/"event":"progress"/)
  })

  it('no --data: one line that names the flag', () => {
    const result = ganvas(['train', 'pix2pix', '--out', join(root.dir, 'x5'), '--steps', '5', '--backend', 'wasm'])
    expect(result.status).not.toBe(0)
    expect(result.stderr).toMatch(/--data/)
    expect(stderrLines(result.stderr), result.stderr).toHaveLength(1)
  })

  it('a non-empty --out without --resume is refused and left as it was', async () => {
    const out = join(root.dir, 'occupied')
    await mkdir(out, { recursive: true })
    await writeFile(join(out, 'keep.txt'), 'mine')
    const result = ganvas(['train', 'pix2pix', '--data', data, '--out', out, '--steps', '5', ...small])
    expect(result.status).not.toBe(0)
    expect(stderrLines(result.stderr)).toHaveLength(1)
    expect(result.stderr).toMatch(/not empty: pass --resume/)
    expect(await readdir(out)).toEqual(['keep.txt'])
  })
})
