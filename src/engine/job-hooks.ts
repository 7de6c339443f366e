import type { JobProgress } from '../shared/schemas'

/** What every long-running engine method gets: progress out, cancellation in. */
export interface JobHooks {
  progress(progress: JobProgress): void
  /** Throws a CancelledByHost error when the host asked to stop. */
  throwIfCancelled(): void
  /** Lets pending host messages (cancel) be handled between steps. */
  yield(): Promise<void>
}

export class CancelledByHost extends Error {
  override name = 'CancelledByHost'
  constructor() {
    super('Cancelled.')
  }
}
