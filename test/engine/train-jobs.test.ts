/**
 * Training and translation as the studio starts them: through the contract's handlers, in the
 * engine process, with pause, resume, stop-with-checkpoint and resume-from-checkpoint.
 */
import { mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readGanvasMetadataFile } from '../../src/engine/images/png-metadata'
import type { Host } from '../../src/service/host'
import type { GanvasEvent } from '../../src/shared/contract'
import { Pix2PixOptions } from '../../src/shared/training'
import { jobEnded, startRealEngineHost } from '../helpers/engine-host'
import { writePairedShapes } from '../helpers/synthetic-images'
import { waitFor } from '../helpers/wait-for'

let host: Host
let dataDir: string
let home: string
let stop: () => Promise<void>
let events: GanvasEvent[]

beforeAll(async () => {
  ;({ host, home, events, stop } = await startRealEngineHost())
  dataDir = join(home, 'data/shapes') // inside the app home, which is always readable
  await mkdir(dataDir, { recursive: true })
  await writePairedShapes(dataDir, { count: 12, size: 32, layout: 'aligned', seed: 3 })
})
afterAll(() => stop())

const ended = (jobId: string) => jobEnded(events, jobId)
const progressSteps = (jobId: string) =>
  events.flatMap((e) => (e.type === 'job.progress' && e.jobId === jobId ? [e.progress.step] : []))

const options = Pix2PixOptions.parse({ family: 'pix2pix', size: 32, steps: 40, ngf: 4, ndf: 4, sampleEvery: 10, checkpointEvery: 1000 })

describe('training through the contract', () => {
  it('refuses data outside the readable folders, naming the field', async () => {
    await expect(
      host.handlers['train.start']({ options, data: { dir: '/etc' }, model: 'nope' }),
    ).rejects.toMatchObject({ code: 'forbidden', field: 'input.data.dir' })
  })

  it('pauses, resumes, stops with a checkpoint, and resumes that run to the end', async () => {
    const { jobId } = await host.handlers['train.start']({ options, data: { dir: dataDir }, model: 'shapes' })
    await waitFor('a few steps', () => progressSteps(jobId).some((s) => s >= 3))
    expect((await host.handlers['jobs.pause']({ jobId })).state).toBe('paused')
    // The step in flight (and at most one more) may still report; then nothing, however long we wait.
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
    let atPause = -1
    for (let i = 0; i < 10 && atPause !== progressSteps(jobId).at(-1); i++) {
      atPause = progressSteps(jobId).at(-1)!
      await sleep(700)
    }
    await sleep(1000)
    expect(progressSteps(jobId).at(-1)).toBe(atPause)
    expect(events.some((e) => e.type === 'job.updated' && e.job.state === 'paused')).toBe(true)

    await host.handlers['jobs.resume']({ jobId })
    await waitFor('progress after resuming', () => progressSteps(jobId).at(-1)! > atPause)
    await host.handlers['jobs.cancel']({ jobId })
    const stopped = await ended(jobId)
    expect(stopped.state).toBe('cancelled')
    const result = stopped.result as { steps: number; stopped: boolean }
    expect(result.stopped).toBe(true)
    expect(result.steps).toBeLessThan(40)

    const [model] = await host.handlers['models.list']({})
    expect(model).toMatchObject({ id: 'shapes', problem: null, manifest: { family: 'pix2pix', stepsDone: result.steps } })

    const resumed = await host.handlers['train.start']({ options, data: { dir: dataDir }, model: 'shapes', resume: true })
    const done = await ended(resumed.jobId)
    expect(done.state, done.error ?? '').toBe('done')
    const trainedSteps = events.flatMap((e) =>
      e.type === 'job.progress' && e.jobId === resumed.jobId && e.progress.metrics.G_L1 !== undefined ? [e.progress.step] : [],
    )
    expect(trainedSteps[0]).toBe(result.steps + 1)
    expect((await host.handlers['models.list']({}))[0]?.manifest?.stepsDone).toBe(40)
    expect((await readdir(join(home, 'models/shapes/samples'))).length).toBeGreaterThan(0)
  })

  it('translates a folder with the trained model into PNGs with metadata', async () => {
    const output = join(home, 'data/translated')
    const { jobId } = await host.handlers['translate.start']({ model: 'shapes', input: dataDir, output })
    const job = await ended(jobId)
    expect(job.state, job.error ?? '').toBe('done')
    const written = (job.result as { written: string[] }).written
    expect(written).toHaveLength(12)
    expect(await readGanvasMetadataFile(written[0]!)).toMatchObject({ family: 'pix2pix', steps: 40 })
  })
})
