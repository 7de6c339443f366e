/** Jobs the engine runs: the list from jobs.list, kept current by job events. */
import type { GanvasEvent } from '../../../shared/contract'
import type { Job } from '../../../shared/schemas'
import { errorText, type GanvasClient } from './client'
import { appendLoss, applyJobEvent, isActive, isJobEvent, sortNewestFirst, upsertJob } from './job-events'

export class JobsStore {
  readonly #client: GanvasClient
  #jobs = $state.raw<readonly Job[]>([])
  /** Loss per step, collected from progress events while this page is open. */
  #lossSeries = $state.raw<Readonly<Record<string, number[]>>>({})
  #loadError = $state.raw<string | null>(null)
  #loaded = $state.raw(false)
  readonly #active = $derived(this.#jobs.filter(isActive))

  constructor(client: GanvasClient) {
    this.#client = client
  }

  get all(): readonly Job[] {
    return this.#jobs
  }

  get active(): readonly Job[] {
    return this.#active
  }

  get loaded(): boolean {
    return this.#loaded
  }

  get loadError(): string | null {
    return this.#loadError
  }

  byId(id: string): Job | undefined {
    return this.#jobs.find((job) => job.id === id)
  }

  lossSeries(id: string): readonly number[] {
    return this.#lossSeries[id] ?? []
  }

  async refresh(): Promise<void> {
    try {
      this.#jobs = sortNewestFirst(await this.#client.call('jobs.list', {}))
      this.#loadError = null
      this.#loaded = true
    } catch (error) {
      this.#loadError = `Could not load the jobs: ${errorText(error)}`
    }
  }

  /** Starts the engine check and returns its job id; throws for the caller to show. */
  async startEngineCheck(): Promise<string> {
    const { jobId } = await this.#client.call('engine.check', { steps: 30, size: 32 })
    return jobId
  }

  async cancel(jobId: string): Promise<void> {
    this.#jobs = upsertJob(this.#jobs, await this.#client.call('jobs.cancel', { jobId }))
  }

  receive(event: GanvasEvent): void {
    if (!isJobEvent(event)) return
    this.#jobs = applyJobEvent(this.#jobs, event)
    this.#lossSeries = appendLoss(this.#lossSeries, event)
  }
}
