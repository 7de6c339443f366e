/** `ganvas bench` end to end on its lightest row; no timing assertions (the machines are shared). */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BenchResults } from '../../src/engine/bench/protocol'

let dir: string
const env = { ...process.env }
delete env.GANVAS_BACKEND
delete env.GANVAS_WASM_THREADS
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ganvas-bench-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('ganvas bench', () => {
  it('rejects an unknown row and names the rows it has', () => {
    const result = spawnSync(process.execPath, ['bin/ganvas.js', 'bench', '--rows', 'unet.infer,unet.train'], { env, encoding: 'utf8', timeout: 60_000 })
    expect(result.status).not.toBe(0)
    expect(result.stderr).toMatch(/unknown row unet\.train; rows are unet\.infer, resnet\.infer/)
  })

  it('prints JSON lines and writes the results file', async () => {
    const out = join(dir, 'results.json')
    const args = ['bin/ganvas.js', 'bench', '--json', '--rows', 'dcgan.load', '--reps', '1', '--no-pytorch', '--backend', 'wasm', '--out', out]
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString().slice(0, 300)))
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
    expect(code, stderr).toBe(0)
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines.find((l) => l.event === 'row')).toMatchObject({ row: { id: 'dcgan.load', ganvas: { ok: true } } })
    const done = lines.at(-1) as { event: string; results: BenchResults }
    expect(done.event).toBe('done')
    const saved = JSON.parse(await readFile(out, 'utf8')) as BenchResults
    expect(saved.rows).toHaveLength(1)
    expect(saved.ganvas).toMatchObject({ backend: 'wasm', threads: Math.min(availableParallelism(), 8) })
    expect(saved.pytorch).toEqual({ unavailable: expect.stringContaining('not requested') })
    const row = saved.rows[0]!
    expect(row.unit).toBe('ms')
    expect(row.ganvas.ok && row.ganvas.samplesMs.length).toBe(5) // load rows time at least 5 runs
  }, 90_000)
})
