/**
 * Each run's loss series and sample grids for the Train view: the history from train.history,
 * read when a run is first shown, merged with live job.progress events in whatever order they
 * come. The series are plain mutable classes; a version counter per kind tells Svelte to redraw.
 */
import type { GanvasEvent } from '../../../../shared/contract'
import { errorText, GanvasCallError, type GanvasClient } from '../client'
import type { JobsStore } from '../jobs.svelte'
import { LossSeries, SampleList } from './loss-series'

export class RunData {
  readonly series = new LossSeries()
  readonly samples = new SampleList()
  #lossVersion = $state(0)
  #sampleVersion = $state(0)
  #history = $state<'idle' | 'loading' | 'loaded' | 'failed'>('idle')
  #historyError = $state<string | null>(null)

  /** Changes whenever a loss point is added. */
  get lossVersion(): number {
    return this.#lossVersion
  }

  /** Changes whenever a sample grid is added. */
  get sampleVersion(): number {
    return this.#sampleVersion
  }

  get history(): 'idle' | 'loading' | 'loaded' | 'failed' {
    return this.#history
  }

  get historyError(): string | null {
    return this.#historyError
  }

  addLosses(step: number, metrics: Readonly<Record<string, number>>): void {
    if (this.series.add(step, metrics)) this.#lossVersion++
  }

  addSample(step: number, path: string): void {
    if (this.samples.add({ step, path })) this.#sampleVersion++
  }

  /** @internal for the store */
  setHistoryState(state: 'loading' | 'loaded' | 'failed', error: string | null = null): void {
    this.#history = state
    this.#historyError = error
  }

  /** @internal for the store */
  mergeHistory(history: { entries: { step: number; metrics: Record<string, number> }[]; samples: { step: number; path: string }[] }): void {
    if (this.series.addAll(history.entries)) this.#lossVersion++
    if (this.samples.addAll(history.samples)) this.#sampleVersion++
  }
}

export class TrainRunsStore {
  readonly #client: GanvasClient
  readonly #jobs: JobsStore
  /** Not reactive itself: each RunData carries its own versions. */
  readonly #runs = new Map<string, RunData>()

  constructor(client: GanvasClient, jobs: JobsStore) {
    this.#client = client
    this.#jobs = jobs
  }

  /** Listens to job events; returns the function that stops listening. */
  start(): () => void {
    return this.#client.onEvent((event) => this.receive(event))
  }

  data(model: string): RunData {
    let data = this.#runs.get(model)
    if (!data) {
      data = new RunData()
      this.#runs.set(model, data)
    }
    return data
  }

  /** Reads the run's history once (again with `force`: e.g. after events may have been missed). */
  async load(model: string, force = false): Promise<void> {
    const data = this.data(model)
    if (data.history === 'loading' || (data.history === 'loaded' && !force)) return
    data.setHistoryState('loading')
    try {
      data.mergeHistory(await this.#client.call('train.history', { model }))
      data.setHistoryState('loaded')
    } catch (error) {
      // A run that has just started may not have its folder yet: its history is empty so far.
      if (error instanceof GanvasCallError && error.code === 'not_found') data.setHistoryState('loaded')
      else data.setHistoryState('failed', `Could not read this run’s history: ${errorText(error)}`)
    }
  }

  /** Forgets a run (its model was deleted). */
  forget(model: string): void {
    this.#runs.delete(model)
  }

  receive(event: GanvasEvent): void {
    if (event.type === 'job.progress') {
      // The jobs store saw job.started first (it listens earlier), so the job's model is known.
      const job = this.#jobs.byId(event.jobId)
      if (job?.kind !== 'train' || job.model === null) return
      const data = this.data(job.model)
      const { step, metrics, sample } = event.progress
      data.addLosses(step, metrics)
      if (sample) data.addSample(step, sample)
    } else if ((event.type === 'job.finished' || event.type === 'job.failed') && event.job.kind === 'train' && event.job.model) {
      // Fill any gap left by events lost while disconnected.
      if (this.#runs.get(event.job.model)?.history === 'loaded') void this.load(event.job.model, true)
    }
  }
}
