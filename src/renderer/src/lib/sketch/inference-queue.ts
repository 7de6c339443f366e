/**
 * Live inference after each stroke: requests are debounced, never more than one runs at a time,
 * and a newer request makes the running one stale: its signal is aborted and its answer (or error)
 * is dropped. When the running call ends, the newest waiting request starts.
 */

export type QueueStatus = 'idle' | 'waiting' | 'running'

export interface QueueResult<In, Out> {
  input: In
  output: Out
  /** From the start of the call to its answer, in ms (what the user waited after the debounce). */
  latencyMs: number
}

export interface QueueOptions<In, Out> {
  run: (input: In, signal: AbortSignal) => Promise<Out>
  debounceMs?: number
  now?: () => number
  onResult?: (result: QueueResult<In, Out>) => void
  onError?: (error: unknown, input: In) => void
  onStatus?: (status: QueueStatus) => void
}

export class InferenceQueue<In, Out> {
  readonly debounceMs: number
  readonly #options: QueueOptions<In, Out>
  readonly #now: () => number
  #pending: { input: In } | null = null
  #timer: ReturnType<typeof setTimeout> | null = null
  #running: AbortController | null = null
  #status: QueueStatus = 'idle'
  #disposed = false

  constructor(options: QueueOptions<In, Out>) {
    this.#options = options
    this.debounceMs = options.debounceMs ?? 250
    this.#now = options.now ?? (() => performance.now())
  }

  get status(): QueueStatus {
    return this.#status
  }

  /** Asks for a run with `input` once requests pause for the debounce time. */
  request(input: In): void {
    if (this.#disposed) return
    this.#pending = { input }
    this.#running?.abort() // whatever is running now answers an older sketch
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = setTimeout(() => {
      this.#timer = null
      this.#pump()
    }, this.debounceMs)
    this.#setStatus()
  }

  /** Drops waiting requests and makes a running one stale. */
  cancel(): void {
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
    this.#pending = null
    this.#running?.abort()
    this.#setStatus()
  }

  dispose(): void {
    this.cancel()
    this.#disposed = true
  }

  #pump(): void {
    if (this.#running || !this.#pending || this.#disposed) return
    const { input } = this.#pending
    this.#pending = null
    const controller = new AbortController()
    this.#running = controller
    this.#setStatus()
    const started = this.#now()
    const finish = () => {
      this.#running = null
      if (this.#timer === null) this.#pump()
      this.#setStatus()
    }
    let call: Promise<Out>
    try {
      call = this.#options.run(input, controller.signal)
    } catch (error) {
      call = Promise.reject(error)
    }
    call.then(
      (output) => {
        if (!controller.signal.aborted) this.#options.onResult?.({ input, output, latencyMs: this.#now() - started })
        finish()
      },
      (error: unknown) => {
        if (!controller.signal.aborted) this.#options.onError?.(error, input)
        finish()
      },
    )
  }

  #setStatus(): void {
    if (this.#disposed) return
    // A stale call still holds the slot, but nobody waits for its answer.
    const status: QueueStatus = this.#running && !this.#running.signal.aborted ? 'running' : this.#pending ? 'waiting' : 'idle'
    if (status === this.#status) return
    this.#status = status
    this.#options.onStatus?.(status)
  }
}
