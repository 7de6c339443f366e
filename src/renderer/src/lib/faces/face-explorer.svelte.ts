/**
 * The Faces section's state: which model, which seeds, ψ and class; the grid the engine drew for
 * them; the picked pair and its interpolation. Every change asks the engine again through a
 * `Latest` runner (one call at a time, newest wins), so controls stay live while the engine works.
 *
 * One explorer per studio, kept across section switches (the grid is still there when you come back).
 */
import type { Output } from '../../../../shared/contract'
import { errorText, type GanvasClient } from '../client'
import type { Studio } from '../studio.svelte'
import { pickModel, type FaceModel } from './face-models'
import { Latest } from './latest'
import { describeSettings, type RestoreSettings } from './restore'
import { emptyScrub, loaded, scrubTo, tick, togglePlaying, type Scrub } from './scrubber'
import { createRng, formatSeedList, freshRngSeed, parseSeedList, shuffledSeeds } from './seeds'
import { keepShown, pairOf, swapped, toggleSelected, type Selection } from './selection'

export interface Sample {
  seed: number
  /** The class drawn (chosen, or seed mod classes); null for unconditional models. */
  class: string | null
  /** PNG data URL carrying the Ganvas metadata. */
  image: string
}

interface SampleRequest {
  model: string
  /** Part of the request's identity only: a newer checkpoint draws again. */
  steps: number
  seeds: readonly number[]
  psi: number
  className: string | null
}

interface InterpolationRequest {
  model: string
  steps: number
  seedA: number
  seedB: number
  psi: number
  className: string | null
  frames: number
}

export interface Interpolation extends InterpolationRequest {
  images: readonly string[]
  gif: string
  /** The class used throughout: the chosen one, else seed A's. */
  usedClass: string | null
  ms: number
}

export const DEFAULT_SEEDS: readonly number[] = Array.from({ length: 16 }, (_, i) => i + 1)
export const DEFAULT_FRAMES = 24

const round2 = (psi: number) => Math.round(psi * 100) / 100

export class FaceExplorer {
  readonly #client: GanvasClient
  readonly #random = createRng(freshRngSeed())

  #models = $state.raw<readonly FaceModel[]>([])
  #modelId = $state.raw<string | null>(null)
  #seeds = $state.raw<readonly number[]>(DEFAULT_SEEDS)
  #psi = $state.raw(1)
  #className = $state.raw<string | null>(null)
  #frames = $state.raw(DEFAULT_FRAMES)

  #samples = $state.raw<readonly Sample[]>([])
  #samplesFor = $state.raw<SampleRequest | null>(null)
  #sampling = $state.raw(false)
  #sampleError = $state.raw<string | null>(null)
  #sampleMs = $state.raw<number | null>(null)
  #selection = $state.raw<Selection>([])

  #interpolation = $state.raw<Interpolation | null>(null)
  #interpolating = $state.raw(false)
  #interpolateError = $state.raw<string | null>(null)
  #scrub = $state.raw<Scrub>(emptyScrub)

  /** The "make a data set" job started from here, to follow after leaving and coming back. */
  datasetJobId = $state.raw<string | null>(null)
  /** What the last restore did or why it could not, shown beside the drop area. */
  restoreNote = $state.raw<{ text: string; tone: 'ok' | 'info' } | null>(null)

  readonly #sampler: Latest<SampleRequest, Output<'faces.sample'>>
  readonly #interpolator: Latest<InterpolationRequest, Output<'faces.interpolate'>>

  constructor(client: GanvasClient) {
    this.#client = client
    this.#sampler = new Latest(
      (r) => this.#client.call('faces.sample', { model: r.model, seeds: [...r.seeds], psi: r.psi, ...(r.className !== null ? { class: r.className } : {}) }),
      (r) => JSON.stringify(r),
      {
        result: (answer, request) => {
          this.#samples = answer.images
          this.#samplesFor = request
          this.#sampleMs = answer.ms
          this.#sampleError = null
        },
        error: (error) => (this.#sampleError = `Could not draw the samples: ${errorText(error)}`),
        busy: (busy) => (this.#sampling = busy),
      },
    )
    this.#interpolator = new Latest(
      (r) =>
        this.#client.call('faces.interpolate', {
          model: r.model,
          seedA: r.seedA,
          seedB: r.seedB,
          frames: r.frames,
          psi: r.psi,
          ...(r.className !== null ? { class: r.className } : {}),
        }),
      (r) => JSON.stringify(r),
      {
        result: (answer, request) => {
          const usedClass = request.className ?? this.#samples.find((s) => s.seed === request.seedA)?.class ?? null
          this.#interpolation = { ...request, images: answer.frames, gif: answer.gif, usedClass, ms: answer.ms }
          this.#scrub = loaded(this.#scrub, answer.frames.length)
          this.#interpolateError = null
        },
        error: (error) => (this.#interpolateError = `Could not interpolate: ${errorText(error)}`),
        busy: (busy) => (this.#interpolating = busy),
      },
    )
  }

  // ---- what the view reads ----
  get models(): readonly FaceModel[] {
    return this.#models
  }
  get model(): FaceModel | null {
    return this.#models.find((m) => m.id === this.#modelId) ?? null
  }
  get seeds(): readonly number[] {
    return this.#seeds
  }
  get seedText(): string {
    return formatSeedList(this.#seeds)
  }
  get psi(): number {
    return this.#psi
  }
  get className(): string | null {
    return this.#className
  }
  get frames(): number {
    return this.#frames
  }
  get samples(): readonly Sample[] {
    return this.#samples
  }
  /** The grid shows other settings than the controls (a newer answer is on its way). */
  get samplesStale(): boolean {
    const shown = this.#samplesFor
    const wanted = this.#sampleRequest()
    return shown === null || wanted === null || JSON.stringify(shown) !== JSON.stringify(wanted)
  }
  get sampling(): boolean {
    return this.#sampling
  }
  get sampleError(): string | null {
    return this.#sampleError
  }
  get sampleMs(): number | null {
    return this.#sampleMs
  }
  get selection(): Selection {
    return this.#selection
  }
  get selectedSamples(): Sample[] {
    return this.#selection.flatMap((seed) => this.#samples.filter((s) => s.seed === seed))
  }
  get interpolation(): Interpolation | null {
    return this.#interpolation
  }
  /** The interpolation shown is for the current pair and settings. */
  get interpolationCurrent(): boolean {
    const shown = this.#interpolation
    const wanted = this.#interpolationRequest()
    return shown !== null && wanted !== null && JSON.stringify(requestOf(shown)) === JSON.stringify(wanted)
  }
  get interpolating(): boolean {
    return this.#interpolating
  }
  get interpolateError(): string | null {
    return this.#interpolateError
  }
  get scrub(): Scrub {
    return this.#scrub
  }

  // ---- what the user does ----

  /** The library changed: keep the model if it is still there, else show the first. */
  setModels(models: readonly FaceModel[]): void {
    this.#models = models
    const model = pickModel(models, this.#modelId)
    if (model?.id !== this.#modelId) this.selectModel(model?.id ?? null)
    else this.#refresh()
  }

  selectModel(id: string | null): void {
    const model = this.#models.find((m) => m.id === id) ?? null
    this.#modelId = model?.id ?? null
    if (this.#className !== null && !model?.classes?.includes(this.#className)) this.#className = null
    if (model === null) {
      this.#sampler.reset()
      this.#interpolator.reset()
      this.#samples = []
      this.#samplesFor = null
      this.#interpolation = null
      return
    }
    this.#refresh()
  }

  /** Seeds typed by hand; returns the problem to show beside the field, or null when applied. */
  applySeedText(text: string): string | null {
    const parsed = parseSeedList(text)
    if (!parsed.ok) return parsed.error
    this.#setSeeds(parsed.seeds)
    return null
  }

  shuffle(): void {
    this.#setSeeds(shuffledSeeds(this.#random, this.#seeds.length, this.#seeds))
  }

  setPsi(psi: number): void {
    if (!Number.isFinite(psi)) return
    this.#psi = round2(Math.min(1, Math.max(0, psi)))
    this.#refresh()
  }

  setClass(name: string | null): void {
    this.#className = name !== null && this.model?.classes?.includes(name) ? name : null
    this.#refresh()
  }

  setFrames(frames: number): void {
    if (!Number.isInteger(frames) || frames < 2 || frames > 120) return
    this.#frames = frames
    this.#refresh()
  }

  toggle(seed: number): void {
    this.#selection = toggleSelected(this.#selection, seed)
    this.#refresh()
  }

  swapPair(): void {
    this.#selection = swapped(this.#selection)
    this.#refresh()
  }

  clearSelection(): void {
    this.#selection = []
    this.#refresh()
  }

  /** Try again after an error (the same request is otherwise not repeated). */
  retry(): void {
    this.#sampler.forget()
    this.#interpolator.forget()
    this.#refresh()
  }

  scrubTo(index: number): void {
    this.#scrub = scrubTo(this.#scrub, index)
  }
  togglePlaying(): void {
    this.#scrub = togglePlaying(this.#scrub)
  }
  tick(): void {
    this.#scrub = tick(this.#scrub)
  }

  /** Seed, ψ and class from a Ganvas PNG, on `modelId`: the seed leads the grid and is picked. */
  restore(modelId: string, settings: RestoreSettings, fileName: string): void {
    // Switch without drawing the old settings on the new model first: one refresh at the end.
    if (this.#models.some((m) => m.id === modelId)) this.#modelId = modelId
    this.#psi = round2(settings.psi)
    this.#className = settings.className !== null && this.model?.classes?.includes(settings.className) ? settings.className : null
    const size = Math.max(1, this.#seeds.length)
    this.#seeds = [settings.seed, ...this.#seeds.filter((s) => s !== settings.seed)].slice(0, size)
    this.#selection = [settings.seed]
    this.restoreNote = { text: `Restored ${describeSettings(settings)} from ${fileName}${this.model ? ` on “${this.model.name}”` : ''}.`, tone: 'ok' }
    this.#refresh()
  }

  // ---- internals ----

  #setSeeds(seeds: readonly number[]): void {
    this.#seeds = seeds
    this.#selection = keepShown(this.#selection, seeds)
    this.#refresh()
  }

  #sampleRequest(): SampleRequest | null {
    const model = this.model
    if (model === null) return null
    return { model: model.id, steps: model.stepsDone, seeds: this.#seeds, psi: this.#psi, className: this.#className }
  }

  #interpolationRequest(): InterpolationRequest | null {
    const pair = pairOf(this.#selection)
    const model = this.model
    if (model === null || pair === null) return null
    return { model: model.id, steps: model.stepsDone, ...pair, psi: this.#psi, className: this.#className, frames: this.#frames }
  }

  /** Asks for whatever the controls now show; unchanged requests cost nothing. */
  #refresh(): void {
    const samples = this.#sampleRequest()
    if (samples) this.#sampler.request(samples)
    const interpolation = this.#interpolationRequest()
    if (interpolation) this.#interpolator.request(interpolation)
  }
}

const requestOf = (i: Interpolation): InterpolationRequest => ({
  model: i.model,
  steps: i.steps,
  seedA: i.seedA,
  seedB: i.seedB,
  psi: i.psi,
  className: i.className,
  frames: i.frames,
})

const explorers = new WeakMap<Studio, FaceExplorer>()

/** The studio's explorer, made on first use. */
export function explorerFor(studio: Studio): FaceExplorer {
  let explorer = explorers.get(studio)
  if (!explorer) {
    explorer = new FaceExplorer(studio.client)
    explorers.set(studio, explorer)
  }
  return explorer
}
