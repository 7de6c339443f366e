/**
 * The output beside the canvas: the selected model's rendering of the sketch, refreshed through
 * the inference queue after each change (debounced, one call at a time, stale answers dropped).
 */
import type { Output } from '../../../../shared/contract'
import type { Direction } from '../../../../shared/training'
import { errorText, type GanvasClient } from '../client'
import type { SketchDocument } from './document.svelte'
import { InferenceQueue, type QueueStatus } from './inference-queue'

export interface RenderRequest {
  /** The model's folder id. */
  model: string
  name: string
  /** The model's resolution: the sketch is scaled to it before it is sent. */
  resolution: number
  /** Label maps keep exact class colours when scaled (nearest neighbour). */
  exact: boolean
  direction?: Direction
}

export interface Rendered {
  image: string
  width: number
  height: number
  model: string
  name: string
  /** Engine time, as the host measured it. */
  engineMs: number
  /** From the request leaving to the answer arriving. */
  latencyMs: number
}

export const DEBOUNCE_MS = 250

export class LiveOutput {
  #result = $state.raw<Rendered | null>(null)
  #error = $state.raw<string | null>(null)
  #status = $state.raw<QueueStatus>('idle')
  readonly #queue: InferenceQueue<RenderRequest, Output<'translate.image'>>

  constructor(client: GanvasClient, doc: SketchDocument) {
    this.#queue = new InferenceQueue({
      debounceMs: DEBOUNCE_MS,
      run: async (request, signal) => {
        const image = await doc.toDataUrl(request.resolution, !request.exact)
        if (signal.aborted) throw new Error('stale') // a newer stroke came in while encoding
        const direction = request.direction ? { direction: request.direction } : {}
        return client.call('translate.image', { model: request.model, image, ...direction })
      },
      onResult: ({ input, output, latencyMs }) => {
        this.#result = { image: output.image, width: output.width, height: output.height, model: input.model, name: input.name, engineMs: output.ms, latencyMs }
        this.#error = null
      },
      onError: (error, input) => {
        this.#error = `“${input.name}” could not render the sketch: ${errorText(error)}`
      },
      onStatus: (status) => (this.#status = status),
    })
  }

  get result(): Rendered | null {
    return this.#result
  }

  get error(): string | null {
    return this.#error
  }

  get status(): QueueStatus {
    return this.#status
  }

  request(request: RenderRequest): void {
    this.#queue.request(request)
  }

  dispose(): void {
    this.#queue.dispose()
  }
}
