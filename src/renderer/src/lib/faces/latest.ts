/**
 * Calls that follow a control as it moves (the ψ slider, the frame count): at most one call runs;
 * while it runs only the newest request waits, so dragging a slider never queues a backlog in the
 * engine, and the last position is always the one shown in the end. Each result is delivered with
 * the request it answers (an older one still updates the view while the newest runs).
 */

export interface LatestHandlers<Req, Res> {
  result(result: Res, request: Req): void
  error(error: unknown, request: Req): void
  /** Busy changed: a call runs or waits. */
  busy(busy: boolean): void
}

export class Latest<Req, Res> {
  readonly #run: (request: Req) => Promise<Res>
  readonly #keyOf: (request: Req) => string
  readonly #on: LatestHandlers<Req, Res>
  #runningKey: string | null = null
  #pending: Req | null = null
  /** Key of the last answered request: asking for it again is a no-op until `forget`. */
  #doneKey: string | null = null
  /** Bumped by `reset`: answers to calls started before it are dropped. */
  #epoch = 0
  /** What the handlers were last told, so busy(true) is not repeated while calls follow each other. */
  #reportedBusy = false

  constructor(run: (request: Req) => Promise<Res>, keyOf: (request: Req) => string, on: LatestHandlers<Req, Res>) {
    this.#run = run
    this.#keyOf = keyOf
    this.#on = on
  }

  get busy(): boolean {
    return this.#runningKey !== null
  }

  /** Asks for `request`; `force` runs it even when its answer is already shown (e.g. after an error). */
  request(request: Req, force = false): void {
    const key = this.#keyOf(request)
    if (this.#runningKey !== null) {
      // The call under way already answers this one.
      this.#pending = key === this.#runningKey && !force ? null : request
      return
    }
    if (!force && key === this.#doneKey) return
    void this.#start(request, key)
  }

  /** Drops what waits and ignores what runs (e.g. the model went away). */
  reset(): void {
    this.#epoch++
    this.#pending = null
    this.#doneKey = null
    this.#runningKey = null
    this.#report(false)
  }

  #report(busy: boolean): void {
    if (busy === this.#reportedBusy) return
    this.#reportedBusy = busy
    this.#on.busy(busy)
  }

  /** The next request runs even if it equals the last answered one. */
  forget(): void {
    this.#doneKey = null
  }

  async #start(request: Req, key: string): Promise<void> {
    const epoch = this.#epoch
    this.#runningKey = key
    this.#report(true)
    let ok = false
    let answer: Res | undefined
    let failure: unknown
    try {
      answer = await this.#run(request)
      ok = true
    } catch (error) {
      failure = error
    }
    if (epoch !== this.#epoch) return
    this.#runningKey = null
    if (ok) {
      this.#doneKey = key
      this.#on.result(answer as Res, request)
    } else {
      this.#doneKey = null
      this.#on.error(failure, request)
    }
    const next = this.#pending
    this.#pending = null
    if (next !== null) this.request(next)
    if (this.#runningKey === null) this.#report(false)
  }
}
