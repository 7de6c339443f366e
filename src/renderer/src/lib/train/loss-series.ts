/**
 * A training run's loss curves and sample grids, assembled from its history (train.history, read
 * once when the run is opened) and from live job.progress events, in either order. Plain classes
 * with mutable arrays: a long run appends thousands of points, and copying the whole series on
 * every step would make each event cost O(steps). The Svelte store around them bumps a version.
 */

/** Progress metrics that are not loss terms: shown as numbers, never charted. */
const NOT_LOSSES: ReadonlySet<string> = new Set(['imagesPerSec', 'etaSeconds', 'epoch', 'lr', 'msPerStep'])

export const isLossTerm = (name: string): boolean => !NOT_LOSSES.has(name)

/** The loss terms of one step's metrics, finite values only, in the order the engine reports them. */
export function lossTerms(metrics: Readonly<Record<string, number>>): [string, number][] {
  return Object.entries(metrics).filter(([name, value]) => isLossTerm(name) && Number.isFinite(value))
}

/** uPlot's aligned data: x values, then one array per series (null where a term has no value). */
export type AlignedData = [number[], ...(number | null)[][]]

/** Index of the first element of the sorted `values` whose key is ≥ `target`. */
function lowerBound<T>(values: readonly T[], target: number, key: (value: T) => number): number {
  let low = 0
  let high = values.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if (key(values[mid]!) < target) low = mid + 1
    else high = mid
  }
  return low
}
const itself = (n: number) => n

export class LossSeries {
  readonly #steps: number[] = []
  readonly #terms: string[] = []
  /** One array per term, aligned with #steps. */
  readonly #values = new Map<string, (number | null)[]>()
  /** How many recorded values are ≤ 0 (a log axis cannot show them). */
  #nonPositive = 0

  get length(): number {
    return this.#steps.length
  }

  /** Term names in the order they first appeared (G_GAN, G_L1, D_real, D_fake …). */
  get terms(): readonly string[] {
    return this.#terms
  }

  get steps(): readonly number[] {
    return this.#steps
  }

  /** Whether every recorded value is above zero, so a log axis can show them all. */
  get allPositive(): boolean {
    return this.#nonPositive === 0
  }

  get lastStep(): number | null {
    return this.#steps.at(-1) ?? null
  }

  /** The value of `term` at `step`, if recorded. */
  valueAt(step: number, term: string): number | null {
    const index = lowerBound(this.#steps, step, itself)
    return this.#steps[index] === step ? (this.#values.get(term)?.[index] ?? null) : null
  }

  /**
   * Records one step's losses (non-loss metrics are ignored). A step seen before is replaced:
   * the later report wins, as in history.jsonl, where a resumed run repeats steps after its
   * checkpoint. Returns whether anything changed.
   */
  add(step: number, metrics: Readonly<Record<string, number>>): boolean {
    const losses = lossTerms(metrics)
    if (losses.length === 0 || !Number.isFinite(step)) return false
    for (const [term] of losses) this.#ensureTerm(term)
    const last = this.#steps.at(-1)
    let index: number
    if (last === undefined || step > last) {
      // The common case, a live event: append.
      index = this.#steps.length
      this.#steps.push(step)
      for (const column of this.#values.values()) column.push(null)
    } else {
      index = lowerBound(this.#steps, step, itself)
      if (this.#steps[index] !== step) {
        this.#steps.splice(index, 0, step)
        for (const column of this.#values.values()) column.splice(index, 0, null)
      } else {
        // Replace the whole step: a term missing from the newer report is not kept from the older one.
        for (const column of this.#values.values()) this.#set(column, index, null)
      }
    }
    for (const [term, value] of losses) this.#set(this.#values.get(term)!, index, value)
    return true
  }

  /** Many steps at once (a history), in any order. */
  addAll(entries: Iterable<{ step: number; metrics: Readonly<Record<string, number>> }>): boolean {
    let changed = false
    for (const entry of entries) changed = this.add(entry.step, entry.metrics) || changed
    return changed
  }

  /** The series as uPlot wants it: fresh arrays, so the chart never sees them change under it. */
  aligned(): AlignedData {
    return [this.#steps.slice(), ...this.#terms.map((term) => this.#values.get(term)!.slice())]
  }

  #set(column: (number | null)[], index: number, value: number | null): void {
    const old = column[index]
    if (old !== null && old !== undefined && old <= 0) this.#nonPositive--
    if (value !== null && value <= 0) this.#nonPositive++
    column[index] = value
  }

  #ensureTerm(term: string): void {
    if (this.#values.has(term)) return
    this.#terms.push(term)
    // A term that appears later (say a gradient penalty) has no value for the earlier steps.
    this.#values.set(term, new Array<number | null>(this.#steps.length).fill(null))
  }
}

export interface SamplePoint {
  step: number
  path: string
}

/** The run's sample grids by step, one per step (the newer path wins), kept in step order. */
export class SampleList {
  readonly #items: SamplePoint[] = []

  get items(): readonly SamplePoint[] {
    return this.#items
  }

  get length(): number {
    return this.#items.length
  }

  add(sample: SamplePoint): boolean {
    const last = this.#items.at(-1)
    if (last === undefined || sample.step > last.step) {
      this.#items.push(sample)
      return true
    }
    const index = lowerBound(this.#items, sample.step, (item) => item.step)
    const existing = this.#items[index]
    if (existing?.step === sample.step) {
      if (existing.path === sample.path) return false
      this.#items[index] = sample
      return true
    }
    this.#items.splice(index, 0, sample)
    return true
  }

  addAll(samples: Iterable<SamplePoint>): boolean {
    let changed = false
    for (const sample of samples) changed = this.add(sample) || changed
    return changed
  }
}
